// scheduler.cpp: the scheduler rule of seed 000, preemption, time slices, processing points.
//
// seed 000: "the scheduler chooses the highest-priority thread in the system which satisfies
//   (Not suspended) and ((Is not blocked) or ((Is blocked servicing events) and (contains events
//   which have met the restrictions)))".
// Ready threads sit in two ordered sets (kernel.hpp); blocked threads are only examined while some
// event is pending, since without one no blocked thread can be eligible.
#include <fmt/format.h>

#include <algorithm>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
constexpr std::uint64_t kRanTieBase = std::uint64_t{1} << 40;  // above every creation index
}

bool Kernel::schedulable(const Thread* t) const { return t->vm->suspend_count == 0; }

void Kernel::ready_insert(Thread* t) {
  if (t->vm->system)
    sys_ready_.insert(*t);
  else
    vm_ready_.insert(*t);
}

void Kernel::ready_erase(Thread* t) {
  if (t->vm->system)
    sys_ready_.erase(sys_ready_.iterator_to(*t));
  else
    vm_ready_.erase(vm_ready_.iterator_to(*t));
}

void Kernel::start_waiting(Thread* t) {
  if (t->waiting_since < 0) t->waiting_since = now_us_;
  if (!t->waiting_hook.is_linked()) waiting_.push_back(*t);
}

void Kernel::stop_waiting(Thread* t) {
  t->waiting_since = -1;
  t->waiting_hook.unlink();
}

// make_ready: t can run (woken, created, preempted); it waits for the CPU from now.
void Kernel::make_ready(Thread* t) {
  t->state = ThreadState::ready;
  if (!schedulable(t) || t->idle) return;
  if (!in_ready_queue(t)) ready_insert(t);
  start_waiting(t);
}

bool Kernel::runs_before(const Thread* a, const Thread* b) {
  Priority pa = priority(a), pb = priority(b);
  return pa != pb ? pa > pb : a->tie_key < b->tie_key;
}

Thread* Kernel::ready_top() const {
  Thread* s = sys_ready_.empty() ? nullptr : const_cast<Thread*>(&*sys_ready_.begin());
  Thread* v = vm_ready_.empty() ? nullptr : const_cast<Thread*>(&*vm_ready_.begin());
  if (s == nullptr) return v;
  if (v == nullptr) return s;
  return runs_before(s, v) ? s : v;
}

Judge Kernel::blocked_judge(Thread* t) const {
  Judge j;
  j.thread = t;
  Flags f = t->wait ? t->wait->flags : 0;
  bool servicing = (f & Block_Svc_Ints) || ((f & Block_Svc_If_Ints_Locked) && t->vm->v86_ints_locked);
  j.ring0_only = !servicing;
  j.if_forced = servicing && (f & Block_Enable_Ints);
  if ((f & Block_Force_Svc_Ints) && crit_.owner == nullptr) {
    j.as_crit_owner = true;
    j.extra = Critical_Section_Boost;
  }
  return j;
}

// blocked_eligible: seed 000's "blocked servicing events and contains events which have met the
// restrictions", with model.md section 2's critical-section condition and PEF_Ring0_Event rule.
bool Kernel::blocked_eligible(Thread* t, Judge* judge_out) {
  if (t->wait == nullptr || t->state != ThreadState::blocked) return false;
  Flags f = t->wait->flags;
  if (crit_.owner != nullptr && crit_.owner != t && !(f & Block_Force_Svc_Ints)) return false;
  Judge j = blocked_judge(t);
  if (default_processable(j) == nullptr) return false;
  if (judge_out) *judge_out = j;
  return true;
}

// best_eligible: the thread the scheduler rule puts first, in the default tie order. A query: it
// asks no chooser. It also keeps waiting_since of blocked threads up to date (starvation).
Thread* Kernel::best_eligible() {
  Thread* best = ready_top();
  // Blocked threads matter only while an event is pending (global, VM or thread).
  if (events_pending_ > 0) {
    for (Thread& t : blocked_) {
      if (blocked_eligible(&t)) {
        if (t.waiting_since < 0) t.waiting_since = now_us_;
        blocked_waiting_ = true;
        if (best == nullptr || runs_before(&t, best)) best = &t;
      } else {
        t.waiting_since = -1;
      }
    }
  } else if (blocked_waiting_) {
    // No event is pending: no blocked thread is eligible any more, so none is waiting for the CPU
    // (a stale waiting_since would count an old wait when the thread is woken later).
    for (Thread& t : blocked_) t.waiting_since = -1;
    blocked_waiting_ = false;
  }
  return best;
}

// pick_next: the thread that gets the CPU now: best_eligible, with the chooser deciding among the
// eligible threads of the same priority. Only called where the CPU really changes hands, so every
// choice point is a real decision.
Thread* Kernel::pick_next() { return choose_among_ties(best_eligible()); }

// choose: asks the chooser; an out-of-range answer is taken as the default (option 0).
// With state matching (model.md section 7, "Pruning"), tie points carry the state's fingerprint, and
// the chooser may stop a run whose state another run has reached already.
std::size_t Kernel::choose(ChoiceKind kind, std::size_t count, std::span<const std::uint64_t> ids) {
  ChoicePoint point{kind, count, ids};
  Fingerprint state;
  if (wants_states_ && kind == ChoiceKind::thread_tie && chooser_->wants_state_here()) {
    StateHasher& h = hasher_;
    h.reset();
    h.u64(count);
    for (std::uint64_t id : ids) h.u64(id);
    if (fingerprint(h)) {
      state = h.digest();
      point.state = &state;
    }
  }
  std::size_t pick = chooser_->choose(point);
  if (pick == Chooser::kStop) stop_run();
  return pick < count ? pick : 0;
}

Thread* Kernel::choose_among_ties(Thread* best) {
  if (best == nullptr || !exploring()) return best;
  // Explorer: every eligible thread of the top priority is an option; option 0 is the default.
  Priority top = priority(best);
  std::vector<Thread*> ties;
  for (Thread& t : sys_ready_) {
    if (priority(&t) != top) break;
    ties.push_back(&t);
  }
  for (Thread& t : vm_ready_) {
    if (priority(&t) != top) break;
    ties.push_back(&t);
  }
  if (events_pending_ > 0)
    for (Thread& t : blocked_)
      if (priority(&t) == top && t.waiting_since >= 0 && blocked_eligible(&t)) ties.push_back(&t);
  if (ties.size() < 2) return best;
  std::sort(ties.begin(), ties.end(), [](const Thread* a, const Thread* b) { return a->tie_key < b->tie_key; });
  std::vector<std::uint64_t> ids;
  ids.reserve(ties.size());
  for (const Thread* t : ties) ids.push_back(t->id);
  return ties[choose(ChoiceKind::thread_tie, ties.size(), ids)];
}

// starvation_deadline: the earliest time a waiting thread will have waited starve_ms. Reads
// waiting_since as the last best_eligible() left it.
std::int64_t Kernel::starvation_deadline(Thread** victim) {
  std::int64_t since = TimerQueue::kNever;
  Thread* who = nullptr;
  if (!waiting_.empty()) {
    who = &waiting_.front();
    since = who->waiting_since;
  }
  if (events_pending_ > 0) {
    for (Thread& t : blocked_)
      if (t.waiting_since >= 0 && t.waiting_since < since) {
        since = t.waiting_since;
        who = &t;
      }
  }
  if (victim) *victim = who;
  return since == TimerQueue::kNever ? since : since + starve_us_;
}

// hand_cpu_to: the bookkeeping of giving the CPU to next (prev is giving it up).
void Kernel::hand_cpu_to(Thread* next, Thread* prev) {
  if (next->state == ThreadState::ready && in_ready_queue(next)) ready_erase(next);
  if (next->state == ThreadState::blocked) {
    next->blocked_hook.unlink();
    next->servicing = true;  // scheduled only to service events (seed 000)
  }
  next->state = ThreadState::running;
  stop_waiting(next);
  next->tie_key = kRanTieBase + ++switches_;
  next->slice_used_us = 0;
  current_ = next;
  if (next->idle) idle_since_us_ = now_us_;
  if (logging()) {
    std::string why = next->servicing && next->wait ? " to service events while blocked" : "";
    emit("run", fmt::format("runs (priority 0x{:X}){}", priority(next), why),
         {{"from", LogField::Type::string, prev ? prev->name : std::string("-")}});
  }
  if (!next->started) {
    next->started = true;
    next->fiber.start(stacks_, &Kernel::thread_entry, next);
  }
}

void Kernel::switch_to(Thread* next) {
  Thread* prev = current_;
  hand_cpu_to(next, prev);
  // A thread that blocks while it is itself the best eligible thread (it has processable events)
  // keeps the CPU to service them: the bookkeeping above, but no fiber switch.
  if (next == prev) return;
  prev->fiber.switch_to(next->fiber);
  // Resumed: prev is current again.
  if (prev->killed) throw ThreadKilled{};
}

// schedule_away: the current thread has blocked, finished its wait or been suspended; give the
// CPU to the best eligible thread, or to the idle thread.
void Kernel::schedule_away() {
  offer_spurious_wakeup();
  Thread* next = pick_next();
  switch_to(next ? next : idle_);
}

// processing_point: model.md section 4. Process every processable event (timed-out ones first),
// then switch if a strictly higher-priority thread is eligible, or if the slice ran out and an
// equal-priority one waits (may_rotate: ring-3 execution outside nested execution).
void Kernel::processing_point(bool may_rotate) {
  Thread* t = current_;
  count_processing_point();
  offer_spurious_wakeup();
  for (;;) {
    service_events(t);
    if (!schedulable(t)) {  // Suspend_VM of its own VM at interrupt time takes effect here
      make_ready(t);
      schedule_away();
      continue;
    }
    Thread* best = best_eligible();
    if (best == nullptr) return;
    Thread* next = best;
    if (!t->idle) {
      Priority pn = priority(best), pt = priority(t);
      bool rotate = may_rotate && pn == pt && t->slice_used_us >= time_slice_us_;
      if (pn < pt || (pn == pt && !rotate)) return;
      next = choose_among_ties(best);  // before t is ready again: t itself is no option
      if (logging() && pn == pt)
        emit("slice", fmt::format("time slice over; {} has the same priority", next->name));
      make_ready(t);
    } else {
      next = choose_among_ties(best);
    }
    switch_to(next);  // when t runs again, it takes its processing point again
  }
}

}  // namespace vmmsim::detail
