// critical_section.cpp: Begin_Critical_Section / End_Critical_Section (DDK, model.md section 5).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kBeginCritFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                  Block_Thread_Idle | Block_Force_Svc_Ints;  // DDK: Block_Poll is reserved
}

// claim_crit: t becomes the owner; the first claim boosts it by Critical_Section_Boost (DDK).
void Kernel::claim_crit(Thread* t, int claims) {
  crit_.owner = t;
  crit_.claims = claims;
  add_thread_boost(t, Critical_Section_Boost);
  if (logging())
    emit("crit_claim",
         t == current_ ? fmt::format("claims the critical section (priority now 0x{:X})", priority(t))
                       : fmt::format("hands the critical section to {} (priority now 0x{:X})", t->name, priority(t)),
         {{"owner", LogField::Type::string, t->name}});
}

// release_crit_fully: the last claim is gone: drop the boost and hand the section to the
// highest-priority waiter, FIFO among equals (model.md section 5).
void Kernel::release_crit_fully(Thread* t) {
  crit_.owner = nullptr;
  crit_.claims = 0;
  add_thread_boost(t, -Critical_Section_Boost);
  emit("crit_release", t == current_ ? std::string("releases the critical section")
                                     : fmt::format("releases the critical section held for {}", t->name));
  if (Wait* w = best_waiter(crit_.waiters)) {
    claim_crit(w->thread, 1);
    wake(*w);
    return;
  }
  if (!when_not_critical_.empty()) {
    // DDK Call_When_Not_Critical: runs on release once the priority is below Critical_Section_Boost.
    when_not_critical_armed_ = true;
    if (interrupt_depth_ == 0 && t == current_ && priority(t) < Critical_Section_Boost &&
        t->ring0_depth == 0)
      run_when_not_critical();
  }
}

void Kernel::begin_critical_section(Flags flags) {
  const char* service = "Begin_Critical_Section";
  // model.md section 3: blocking services, the critical section included even when free, may not
  // be called at interrupt time; a ring-0 event must not take it.
  check_thread_context(service);
  Thread* t = current_;
  if (t->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not take the critical section "
                                   "(seed 001)", service));
  if (flags & Block_Poll)
    throw ServiceError(fmt::format("{}: Block_Poll is reserved for this service (DDK)", service));
  check_block_flags(service, flags, kBeginCritFlags);
  if (crit_.owner == nullptr) {
    claim_crit(t, 1);
    return;
  }
  if (crit_.owner == t) {
    ++crit_.claims;
    return;
  }
  check_may_block(service);
  Wait w;
  w.kind = WaitKind::critical_section;
  w.flags = flags;
  crit_.waiters.push_back(w);
  emit("block", fmt::format("Begin_Critical_Section waits: owned by {}", crit_.owner->name),
       {{"owner", LogField::Type::string, crit_.owner->name}});
  block_current(w);
  emit("wake", "woken: owns the critical section");
}

void Kernel::end_critical_section() {
  const char* service = "End_Critical_Section";
  check_running(service);
  Thread* t = current_;
  if (crit_.owner != t)
    throw ServiceError(crit_.owner == nullptr
                           ? fmt::format("{}: the critical section is not owned (no matching "
                                         "Begin_Critical_Section)", service)
                           : fmt::format("{}: {} does not own the critical section ({} does)", service,
                                         t->name, crit_.owner->name));
  if (t->forced_crit && crit_.claims == 1)
    throw ServiceError(fmt::format("{}: no matching Begin_Critical_Section (the section is held for "
                                   "Block_Force_Svc_Ints servicing)", service));
  if (--crit_.claims > 0) return;
  release_crit_fully(t);
}

}  // namespace vmmsim::detail
