// critical_section.cpp: Begin_Critical_Section / End_Critical_Section (DDK
// "Begin_Critical_Section", "End_Critical_Section"; model.md section 5).
#include "sync/critical_section.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kBeginCritFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                  Block_Thread_Idle | Block_Force_Svc_Ints;  // DDK: Block_Poll is reserved
}

// claim_crit: t becomes the owner; the first claim boosts it by Critical_Section_Boost (DDK).
void CriticalSection::claim(Thread* t, int claims) {
  owner_ = t;
  claims_ = claims;
  k_.scheduler().add_thread_boost(t, Critical_Section_Boost);
  if (k_.logging())
    k_.emit("crit_claim",
            t == k_.current()
                ? fmt::format("claims the critical section (priority now 0x{:X})", Scheduler::priority(t))
                : fmt::format("hands the critical section to {} (priority now 0x{:X})", t->name,
                              Scheduler::priority(t)),
            {{"owner", LogField::Type::string, t->name}});
}

// release_crit_fully: the last claim is gone: drop the boost and hand the section to the
// highest-priority waiter, FIFO among equals (model.md section 5).
void CriticalSection::release_fully(Thread* t, EventQueues::AtRelease at) {
  owner_ = nullptr;
  claims_ = 0;
  k_.scheduler().add_thread_boost(t, -Critical_Section_Boost);
  k_.emit("crit_release", t == k_.current() ? std::string("releases the critical section")
                                            : fmt::format("releases the critical section held for {}", t->name));
  if (Wait* w = Waits::best_waiter(waiters_)) {
    claim(w->thread, 1);
    k_.waits().wake(*w, BlockResult::signalled);
    return;
  }
  k_.events().on_crit_released(t, at);  // DDK "Call_When_Not_Critical"
}

void CriticalSection::begin(Flags flags) { acquire("Begin_Critical_Section", 1, flags); }

// DDK "Claim_Critical_Section": "N claims; 0 is ignored".
void CriticalSection::claim_n(std::int64_t count, Flags flags) {
  const char* service = "Claim_Critical_Section";
  if (count < 0 || count > 0x7FFFFFFF)
    throw ServiceError(service, fmt::format("claim count {} is outside 0 .. 0x7FFFFFFF", count));
  if (count == 0) {
    k_.check_running(service);
    return;
  }
  acquire(service, static_cast<int>(count), flags);
}

void CriticalSection::acquire(const char* service, int count, Flags flags) {
  // model.md section 3: blocking services, the critical section included even when free, may not
  // be called at interrupt time; a ring-0 event must not take it.
  k_.check_thread_context(service);
  Thread* t = k_.current();
  if (t->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not take the critical section "
                                   "(DDK \"Call_Restricted_Event\")", service));
  if (flags & Block_Poll)
    throw ServiceError(fmt::format("{}: Block_Poll is reserved for this service (DDK)", service));
  check_block_flags(service, flags, kBeginCritFlags);
  if (owner_ == nullptr) {
    claim(t, count);
    return;
  }
  if (owner_ == t) {
    claims_ += count;
    return;
  }
  k_.check_may_block(service);
  Wait w;
  w.kind = WaitKind::critical_section;
  w.flags = flags;
  waiters_.push_back(w);
  k_.emit("block", fmt::format("{} waits: owned by {}", service, owner_->name),
          {{"owner", LogField::Type::string, owner_->name}});
  BlockResult why = k_.waits().block(w);
  // The section is handed to the waiter (release_fully) before it is woken.
  VMMSIM_VERIFY(why == BlockResult::signalled && owner_ == t, "{} woke in {} without the section", t->name, service);
  claims_ += count - 1;  // handed over with one claim
  k_.emit("wake", "woken: owns the critical section");
}

// DDK "Get_Crit_Section_Status": "EBX = owner VM, ECX = claim count, CF = 1 if the current VM's
// priority >= Critical_Section_Boost; if ECX = 0, EBX is the current VM. NOT asynchronous."
CritSectionStatus CriticalSection::status() {
  const char* service = "Get_Crit_Section_Status";
  k_.check_thread_context(service);
  Thread* t = k_.current();
  return {owner_ != nullptr ? owner_->vm : t->vm, claims_, Scheduler::priority(t) >= Critical_Section_Boost};
}

// DDK "End_Crit_And_Suspend": "Only succeeds if claim count is exactly 1: releases and suspends the
// current VM atomically; on failure the count is unchanged."
bool CriticalSection::end_and_suspend() {
  const char* service = "End_Crit_And_Suspend";
  k_.check_thread_context(service);
  Thread* t = k_.current();
  if (owner_ != t)
    throw ServiceError(service, owner_ == nullptr ? std::string("the critical section is not owned")
                                                  : fmt::format("{} does not own the critical section ({} does)",
                                                                t->name, owner_->name));
  if (claims_ != 1 || t->vm->system || t->forced_crit) {
    k_.emit("warning", fmt::format("warning: End_Crit_And_Suspend fails: {}",
                                   t->vm->system ? std::string("the System VM cannot be suspended (DDK)")
                                                 : fmt::format("the claim count is {}, not 1 (DDK)", claims_)));
    return false;
  }
  claims_ = 0;
  // Atomic: no Call_When_Not_Critical callback may run between the release and the suspension (one
  // that took the section again on this thread made the suspension fail: found by the api fuzzer).
  // They are armed and run at the next processing point where they may.
  release_fully(t, EventQueues::AtRelease::only_arm);
  bool suspended = k_.scheduler().suspend_vm(t->vm);
  VMMSIM_VERIFY(suspended, "End_Crit_And_Suspend: VM {} could not be suspended after the release", t->vm->name);
  return true;
}

void CriticalSection::end() {
  const char* service = "End_Critical_Section";
  k_.check_running(service);
  Thread* t = k_.current();
  if (owner_ != t)
    throw ServiceError(owner_ == nullptr
                           ? fmt::format("{}: the critical section is not owned (no matching "
                                         "Begin_Critical_Section)", service)
                           : fmt::format("{}: {} does not own the critical section ({} does)", service,
                                         t->name, owner_->name));
  if (t->forced_crit && claims_ == 1)
    throw ServiceError(fmt::format("{}: no matching Begin_Critical_Section (the section is held for "
                                   "Block_Force_Svc_Ints servicing)", service));
  if (--claims_ > 0) return;
  release_fully(t);
}

void CriticalSection::write_state(StateHasher& h) const {
  h.tag(20);
  h.u64(owner_ == nullptr ? ~0ULL : owner_->id);
  h.i64(claims_);
  h.tag(5);
  for (const Wait& w : waiters_) h.u64(w.thread->id);
  h.tag(6);
}

}  // namespace vmmsim::detail
