// restrictions.cpp: the PEF_* restrictions of seed 001, evaluated with a given thread as the
// current one (model.md section 3, table "Restrictions").
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kRestrictionFlags = PEF_Wait_For_STI | PEF_Wait_For_Thread_STI | PEF_Wait_Not_Crit |
                                    PEF_Wait_Not_HW_Int | PEF_Wait_In_PM | PEF_Wait_Not_Nested_Exec |
                                    PEF_Wait_Crit | PEF_Wait_Crit_VM;
}

Flags Kernel::failing_restrictions(const Event& ev, const Judge& j) const {
  Flags want = ev.flags & kRestrictionFlags;
  if (want == 0) return 0;
  const Thread* t = j.thread;
  const Thread* owner = j.as_crit_owner ? t : crit_.owner;
  Priority prio = priority(t) + j.extra;
  bool if_set = t->if_flag || j.if_forced;
  Flags fail = 0;
  if (want & PEF_Wait_For_STI) {
    // seed 001: "not called until the virtual machine enables interrupts in all threads".
    const VM* vm = ev.kind == EventTargetKind::global ? t->vm : ev.vm;
    int clear = vm->threads_if_clear;
    if (t->vm == vm && !t->if_flag && j.if_forced) --clear;
    if (clear > 0) fail |= PEF_Wait_For_STI;
  }
  if ((want & PEF_Wait_For_Thread_STI) && !if_set) fail |= PEF_Wait_For_Thread_STI;
  // seed 001: "until the critical section is free and the priority ... is less than Critical_Section_Boost".
  if ((want & PEF_Wait_Not_Crit) && (owner != nullptr || prio >= Critical_Section_Boost))
    fail |= PEF_Wait_Not_Crit;
  // seed 003: "not called until the thread priority is below TIME_CRITICAL_BOOST".
  if ((want & PEF_Wait_Not_HW_Int) && (t->hw_depth > 0 || prio >= Time_Critical_Boost))
    fail |= PEF_Wait_Not_HW_Int;
  if ((want & PEF_Wait_In_PM) && !t->pm) fail |= PEF_Wait_In_PM;
  if ((want & PEF_Wait_Not_Nested_Exec) && t->nest_depth > 0) fail |= PEF_Wait_Not_Nested_Exec;
  // seed 001: "(1) the critical section is free, or (2) the critical section is owned by the current thread".
  if ((want & PEF_Wait_Crit) && owner != nullptr && owner != t) fail |= PEF_Wait_Crit;
  // seed 001: System VM thread and the section unowned, owned by it, or owned outside the System VM.
  if ((want & PEF_Wait_Crit_VM) &&
      (!t->vm->system || (owner != nullptr && owner != t && owner->vm->system)))
    fail |= PEF_Wait_Crit_VM;
  return fail;
}

std::string Kernel::explain_restriction(Flags flag, const Event& ev, const Judge& j) const {
  const Thread* t = j.thread;
  const Thread* owner = j.as_crit_owner ? t : crit_.owner;
  Priority prio = priority(t) + j.extra;
  switch (flag) {
    case PEF_Wait_For_STI: {
      const VM* vm = ev.kind == EventTargetKind::global ? t->vm : ev.vm;
      std::string who;
      for (const auto& th : threads_)
        if (th->vm == vm && th->state != ThreadState::finished && !th->if_flag) {
          if (!who.empty()) who += ", ";
          who += th->name;
        }
      return fmt::format("PEF_Wait_For_STI: interrupts are disabled in {} of VM {}", who, vm->name);
    }
    case PEF_Wait_For_Thread_STI:
      return fmt::format("PEF_Wait_For_Thread_STI: {} has interrupts disabled (cli)", t->name);
    case PEF_Wait_Not_Crit:
      if (owner != nullptr)
        return fmt::format("PEF_Wait_Not_Crit: the critical section is owned by {}", owner->name);
      return fmt::format("PEF_Wait_Not_Crit: {}'s priority 0x{:X} is not below Critical_Section_Boost "
                         "(0x{:X})", t->name, prio, Critical_Section_Boost);
    case PEF_Wait_Not_HW_Int:
      if (t->hw_depth > 0)
        return fmt::format("PEF_Wait_Not_HW_Int: {} is inside a simulated hardware interrupt", t->name);
      return fmt::format("PEF_Wait_Not_HW_Int: {}'s priority 0x{:X} is not below Time_Critical_Boost (0x{:X})",
                         t->name, prio, Time_Critical_Boost);
    case PEF_Wait_In_PM:
      return fmt::format("PEF_Wait_In_PM: {} executes in V86 mode", t->name);
    case PEF_Wait_Not_Nested_Exec:
      return fmt::format("PEF_Wait_Not_Nested_Exec: {} is in nested execution (depth {})", t->name,
                         t->nest_depth);
    case PEF_Wait_Crit:
      return fmt::format("PEF_Wait_Crit: the critical section is owned by {}", owner ? owner->name : "?");
    case PEF_Wait_Crit_VM:
      if (!t->vm->system) return fmt::format("PEF_Wait_Crit_VM: {} is not a System VM thread", t->name);
      return fmt::format("PEF_Wait_Crit_VM: the critical section is owned by {}, another System VM thread",
                         owner ? owner->name : "?");
    default:
      return fmt::format("flag 0x{:X}", flag);
  }
}

}  // namespace vmmsim::detail
