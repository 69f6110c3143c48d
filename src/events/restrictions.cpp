// restrictions.cpp: the table of restrictions (restrictions.hpp). Each entry's condition quotes the
// DDK page it comes from; the diagnosis uses the same entry's explanation, so the two cannot drift.
// The processing points' mask (restriction_mask) writes the same conditions out once more, as one
// straight run of tests; builds with VMMSIM_ASSERTIONS compare every answer it gives with the table.
#include "events/restrictions.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>

#include "core/kernel.hpp"
#include "util/assert.hpp"

namespace vmmsim::detail {

namespace {

const VM& sti_vm(const RestrictionContext& c) {
  return c.event.kind == EventTargetKind::global ? *c.thread.vm : *c.event.vm;
}

// In flag order: the diagnosis explains failing flags in this order.
const std::array kTable = {
    Restriction{PEF_Wait_For_STI, "DDK \"Call_Restricted_Event\": \"not called until the virtual machine enables interrupts in all threads\"",
                [](const RestrictionContext& c) {
                  const VM& vm = sti_vm(c);
                  int clear = vm.threads_if_clear();
                  if (c.thread.vm == &vm && !c.thread.if_flag() && c.if_forced) --clear;
                  return clear <= 0;
                },
                [](const RestrictionContext& c) {
                  const VM& vm = sti_vm(c);
                  std::string who;
                  for (const auto& th : c.kernel.threads())
                    if (th->vm == &vm && !th->finished() && !th->if_flag()) {
                      if (!who.empty()) who += ", ";
                      who += th->name;
                    }
                  return fmt::format("PEF_Wait_For_STI: interrupts are disabled in {} of VM {}", who, vm.name);
                }},
    Restriction{PEF_Wait_Not_Crit,
                "DDK \"Call_Restricted_Event\": \"until the critical section is free and the priority ... is less than "
                "Critical_Section_Boost\"",
                [](const RestrictionContext& c) { return c.crit_owner == nullptr && c.priority < Critical_Section_Boost; },
                [](const RestrictionContext& c) {
                  if (c.crit_owner != nullptr)
                    return fmt::format("PEF_Wait_Not_Crit: the critical section is owned by {}", c.crit_owner->name);
                  return fmt::format("PEF_Wait_Not_Crit: {}'s priority 0x{:X} is not below Critical_Section_Boost "
                                     "(0x{:X})", c.thread.name, c.priority, Critical_Section_Boost);
                }},
    Restriction{PEF_Wait_Not_HW_Int, "DDK \"Call_Priority_VM_Event\": \"not called until the thread priority is below TIME_CRITICAL_BOOST\"",
                [](const RestrictionContext& c) { return c.thread.hw_depth == 0 && c.priority < Time_Critical_Boost; },
                [](const RestrictionContext& c) {
                  if (c.thread.hw_depth > 0)
                    return fmt::format("PEF_Wait_Not_HW_Int: {} is inside a simulated hardware interrupt",
                                       c.thread.name);
                  return fmt::format("PEF_Wait_Not_HW_Int: {}'s priority 0x{:X} is not below Time_Critical_Boost "
                                     "(0x{:X})", c.thread.name, c.priority, Time_Critical_Boost);
                }},
    Restriction{PEF_Wait_Not_Nested_Exec, "DDK \"Call_Restricted_Event\": \"not called while the virtual machine is in a nested execution block\"",
                [](const RestrictionContext& c) { return c.thread.nest_depth == 0; },
                [](const RestrictionContext& c) {
                  return fmt::format("PEF_Wait_Not_Nested_Exec: {} is in nested execution (depth {})", c.thread.name,
                                     c.thread.nest_depth);
                }},
    Restriction{PEF_Wait_In_PM, "DDK \"Call_Restricted_Event\": \"not called until the virtual machine or thread is executing in protected mode\"",
                [](const RestrictionContext& c) { return c.thread.pm; },
                [](const RestrictionContext& c) {
                  return fmt::format("PEF_Wait_In_PM: {} executes in V86 mode", c.thread.name);
                }},
    Restriction{PEF_Wait_For_Thread_STI, "DDK \"Call_Restricted_Event\": \"until interrupts are enabled at ring 3 in the current thread\"",
                [](const RestrictionContext& c) { return c.if_set; },
                [](const RestrictionContext& c) {
                  return fmt::format("PEF_Wait_For_Thread_STI: {} has interrupts disabled (cli)", c.thread.name);
                }},
    Restriction{PEF_Wait_Crit,
                "DDK \"Call_Restricted_Event\": \"(1) the critical section is free, or (2) the critical section is owned by the current "
                "thread\"",
                [](const RestrictionContext& c) { return c.crit_owner == nullptr || c.crit_owner == &c.thread; },
                [](const RestrictionContext& c) {
                  return fmt::format("PEF_Wait_Crit: the critical section is owned by {}",
                                     c.crit_owner ? c.crit_owner->name : "?");
                }},
    Restriction{PEF_Wait_Crit_VM,
                "DDK \"Call_Restricted_Event\": a System VM thread, and the section unowned, owned by it, or owned by a thread not in the "
                "System VM",
                [](const RestrictionContext& c) {
                  return c.thread.vm->system &&
                         (c.crit_owner == nullptr || c.crit_owner == &c.thread || !c.crit_owner->vm->system);
                },
                [](const RestrictionContext& c) {
                  if (!c.thread.vm->system)
                    return fmt::format("PEF_Wait_Crit_VM: {} is not a System VM thread", c.thread.name);
                  return fmt::format("PEF_Wait_Crit_VM: the critical section is owned by {}, another System VM thread",
                                     c.crit_owner ? c.crit_owner->name : "?");
                }},
};

// kByBit: the table entry of each flag bit (a flag set is walked bit by bit: events carry few).
const std::array<const Restriction*, 32> kByBit = [] {
  std::array<const Restriction*, 32> by{};
  for (const Restriction& r : kTable) by[static_cast<std::size_t>(std::countr_zero(r.flag))] = &r;
  return by;
}();

RestrictionContext context(const Kernel& k, const Event& ev, const Judge& j) {
  const Thread& t = *j.thread;
  return RestrictionContext{k,
                            ev,
                            t,
                            j.as_crit_owner ? &t : k.crit().owner(),
                            Scheduler::priority(&t) + j.extra,
                            t.if_flag() || j.if_forced,
                            j.if_forced};
}

// by_table: the failing flags of ev, entry by entry (the diagnosis's path, and the check of the mask).
Flags by_table(const Kernel& k, const Event& ev, const Judge& judge) {
  Flags want = ev.flags & kRestrictionFlags;
  if (want == 0) return 0;
  RestrictionContext c = context(k, ev, judge);
  Flags fail = 0;
  for (Flags rest = want; rest != 0; rest &= rest - 1) {
    const Restriction& r = *kByBit[static_cast<std::size_t>(std::countr_zero(rest))];
    if (!r.holds(c)) fail |= r.flag;
  }
  return fail;
}

// sti_fails: PEF_Wait_For_STI's condition for vm (the table's first entry says where it comes from).
bool sti_fails(const VM& vm, const Thread& t, bool if_forced) {
  int clear = vm.threads_if_clear();
  if (t.vm == &vm && !t.if_flag() && if_forced) --clear;
  return clear > 0;
}

}  // namespace

std::span<const Restriction> restrictions() { return kTable; }

// restriction_mask: each line is the negation of one table entry's condition, for the judged thread.
RestrictionMask restriction_mask(const Kernel& k, const Judge& judge) {
  const Thread& t = *judge.thread;
  const Thread* owner = judge.as_crit_owner ? &t : k.crit().owner();
  bool foreign_owner = owner != nullptr && owner != &t;
  Priority p = Scheduler::priority(&t) + judge.extra;
  Flags fail = 0;
  if (sti_fails(*t.vm, t, judge.if_forced)) fail |= PEF_Wait_For_STI;
  if (owner != nullptr || p >= Critical_Section_Boost) fail |= PEF_Wait_Not_Crit;
  if (t.hw_depth > 0 || p >= Time_Critical_Boost) fail |= PEF_Wait_Not_HW_Int;
  if (t.nest_depth != 0) fail |= PEF_Wait_Not_Nested_Exec;
  if (!t.pm) fail |= PEF_Wait_In_PM;
  if (!t.if_flag() && !judge.if_forced) fail |= PEF_Wait_For_Thread_STI;
  if (foreign_owner) fail |= PEF_Wait_Crit;
  if (!t.vm->system || (foreign_owner && owner->vm->system)) fail |= PEF_Wait_Crit_VM;
  return RestrictionMask{fail, &k, &judge};
}

Flags failing_restrictions(const RestrictionMask& mask, const Event& ev) {
  Flags want = ev.flags & kRestrictionFlags;
  if (want == 0) return 0;
  Flags fail = want & mask.failing;
  const Thread& t = *mask.judge->thread;
  if ((want & PEF_Wait_For_STI) && ev.kind != EventTargetKind::global && ev.vm != t.vm)
    fail = (fail & ~PEF_Wait_For_STI) | (sti_fails(*ev.vm, t, mask.judge->if_forced) ? PEF_Wait_For_STI : 0);
  VMMSIM_ASSERT(fail == by_table(*mask.kernel, ev, *mask.judge),
                "restriction mask 0x{:X} disagrees with the table's 0x{:X} for event #{}", fail,
                by_table(*mask.kernel, ev, *mask.judge), ev.seq);
  return fail;
}

Flags failing_restrictions(const Kernel& k, const Event& ev, const Judge& judge) {
  return failing_restrictions(restriction_mask(k, judge), ev);
}

std::string explain_restriction(const Kernel& k, Flags flag, const Event& ev, const Judge& judge) {
  RestrictionContext c = context(k, ev, judge);
  VMMSIM_VERIFY(std::has_single_bit(flag) && kByBit[static_cast<std::size_t>(std::countr_zero(flag))] != nullptr,
                "explain_restriction: 0x{:X} is not one restriction flag", flag);
  return kByBit[static_cast<std::size_t>(std::countr_zero(flag))]->explain(c);
}

}  // namespace vmmsim::detail
