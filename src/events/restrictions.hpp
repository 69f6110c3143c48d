// restrictions.hpp: the PEF_* restrictions of Call_Restricted_Event (seed 001) and
// Call_Priority_VM_Event (seed 003), each once: the condition, and the words the diagnosis uses when
// it fails (model.md section 3, table "Restrictions").
#pragma once

#include <span>
#include <string>

#include "events/event.hpp"
#include "vmmsim/constants.hpp"

namespace vmmsim::detail {

class Kernel;

// Judge: how restrictions are judged for a thread (model.md section 2: a blocked thread servicing
// with Block_Force_Svc_Ints is judged as if it held the section and its boost; Block_Enable_Ints makes
// its IF count as set; a thread blocked without servicing flags runs only PEF_Ring0_Event events).
struct Judge {
  Thread* thread = nullptr;
  bool as_crit_owner = false;
  Priority extra = 0;
  bool if_forced = false;
  bool ring0_only = false;
};

// RestrictionContext: what a restriction looks at, with the judged thread T as the current one.
struct RestrictionContext {
  const Kernel& kernel;
  const Event& event;
  const Thread& thread;       // T
  const Thread* crit_owner;   // the section's owner as T sees it (T itself with as_crit_owner)
  Priority priority;          // T's priority, with the judge's extra
  bool if_set;                // T's IF, or forced
  bool if_forced;
};

struct Restriction {
  Flags flag;
  const char* source;  // where the rule comes from, for the reader of this table
  bool (*holds)(const RestrictionContext& c);
  std::string (*explain)(const RestrictionContext& c);  // why it does not hold
};

// restrictions: the table, one entry per restriction flag.
std::span<const Restriction> restrictions();
// kRestrictionFlags: every flag with an entry.
inline constexpr Flags kRestrictionFlags = PEF_Wait_For_STI | PEF_Wait_For_Thread_STI | PEF_Wait_Not_Crit |
                                           PEF_Wait_Not_HW_Int | PEF_Wait_In_PM | PEF_Wait_Not_Nested_Exec |
                                           PEF_Wait_Crit | PEF_Wait_Crit_VM;

// RestrictionMask: which restrictions fail now for every event judged by one Judge. A search of
// the queues computes it once, then each event costs an AND with its flags instead of a walk over
// its flags. Every restriction looks only at the judged thread T and the critical section, except
// PEF_Wait_For_STI, which looks at the event's VM: the mask holds its answer for T's own VM (where
// every event T can run is aimed) and failing_restrictions judges another VM's event on its own.
struct RestrictionMask {
  Flags failing = 0;
  const Kernel* kernel = nullptr;
  const Judge* judge = nullptr;
};

// restriction_mask: the mask for judge now. It is the table's conditions written out in one
// place; builds with VMMSIM_ASSERTIONS check each answer against the table's entries.
RestrictionMask restriction_mask(const Kernel& k, const Judge& judge);
// failing_restrictions: the restriction flags of ev that do not hold (under the mask's judge).
Flags failing_restrictions(const RestrictionMask& mask, const Event& ev);
Flags failing_restrictions(const Kernel& k, const Event& ev, const Judge& judge);
// explain_restrictions: one line per failing flag, in flag order.
std::string explain_restriction(const Kernel& k, Flags flag, const Event& ev, const Judge& judge);

}  // namespace vmmsim::detail
