// scheduler.cpp: the scheduler rule of seed 000 ("Event Processing"), thread states, preemption,
// time slices and the CPU changing hands.
#include "scheduler/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/kernel.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

namespace {
constexpr std::uint64_t kRanTieBase = std::uint64_t{1} << 40;  // above every creation index

const char* state_name(ThreadState s) {
  switch (s) {
    case ThreadState::ready: return "ready";
    case ThreadState::running: return "running";
    case ThreadState::blocked: return "blocked";
    case ThreadState::finished: return "finished";
  }
  return "?";
}

}  // namespace

Scheduler::~Scheduler() { teardown(); }

void Scheduler::teardown() {
  ++epoch_;
  if (front_ != nullptr) front_->ready_front_ = false;
  front_ = nullptr;
  sys_ready_.clear();
  vm_ready_.clear();
  waiting_.clear();
  blocked_.clear();
}

void Scheduler::refuse_transition(const Thread* t, ThreadState to) {
  assertion_failed(__FILE__, __LINE__, "allowed(t->state_, to)",
                   fmt::format("thread {}: state {} -> {} is not a transition", t->name, state_name(t->state_),
                               state_name(to)));
}

void Scheduler::on_created(Thread* t) {
  t->tie_key_ = t->id;  // never-run threads go in creation order (model.md section 2)
  if (t->vm->system) max_sys_base_ = std::max(max_sys_base_, t->base);
  make_ready(t);
}

void Scheduler::ready_insert(Thread* t) {
  ++epoch_;
  if (front_ != nullptr) set_insert(front_);
  front_ = t;
  t->ready_front_ = true;
}

void Scheduler::set_insert(Thread* t) {
  t->ready_front_ = false;
  if (t->vm->system)
    sys_ready_.insert(*t);
  else
    vm_ready_.insert(*t);
}

void Scheduler::ready_erase(Thread* t) {
  ++epoch_;
  if (t == front_) {
    front_ = nullptr;
    t->ready_front_ = false;
  } else if (t->vm->system)
    sys_ready_.erase(sys_ready_.iterator_to(*t));
  else
    vm_ready_.erase(vm_ready_.iterator_to(*t));
}

void Scheduler::start_waiting(Thread* t) {
  if (t->waiting_since_ < 0) t->waiting_since_ = k_.now_us();
  note_waiting(t);
  if (!t->waiting_hook_.is_linked()) waiting_.push_back(*t);
}

void Scheduler::stop_waiting(Thread* t) {
  t->waiting_since_ = -1;
  t->waiting_hook_.unlink();
}

void Scheduler::make_ready(Thread* t) {
  set_state(t, ThreadState::ready);
  t->blocked_hook_.unlink();
  if (!schedulable(t) || t->idle) return;
  if (!t->in_ready_queue()) ready_insert(t);
  start_waiting(t);
}

void Scheduler::block_current() {
  Thread* t = current_;
  set_state(t, ThreadState::blocked);
  if (schedulable(t)) blocked_.push_back(*t);
}

void Scheduler::finish_current() { set_state(current_, ThreadState::finished); }

void Scheduler::abandon(Thread* t) {
  if (t->in_ready_queue()) ready_erase(t);
  stop_waiting(t);
  t->blocked_hook_.unlink();
  t->state_ = ThreadState::finished;  // from any state: the run is over for this thread
}

bool Scheduler::runs_before(const Thread* a, const Thread* b) {
  Priority pa = priority(a), pb = priority(b);
  return pa != pb ? pa > pb : a->tie_key_ < b->tie_key_;
}

Thread* Scheduler::ready_top() const {
  Thread* best = front_;
  if (!sys_ready_.empty()) {
    Thread* s = const_cast<Thread*>(&*sys_ready_.begin());
    if (best == nullptr || runs_before(s, best)) best = s;
  }
  if (!vm_ready_.empty()) {
    Thread* v = const_cast<Thread*>(&*vm_ready_.begin());
    if (best == nullptr || runs_before(v, best)) best = v;
  }
  return best;
}

Judge Scheduler::blocked_judge(const Thread* t) const {
  Judge j;
  j.thread = const_cast<Thread*>(t);
  Flags f = t->wait() ? t->wait()->flags : 0;
  bool servicing = (f & Block_Svc_Ints) || ((f & Block_Svc_If_Ints_Locked) && t->vm->v86_ints_locked);
  j.ring0_only = !servicing;
  j.if_forced = servicing && (f & Block_Enable_Ints);
  if ((f & Block_Force_Svc_Ints) && k_.crit().owner() == nullptr) {
    j.as_crit_owner = true;
    j.extra = Critical_Section_Boost;
  }
  return j;
}

// blocked_eligible: seed 000's "blocked servicing events and contains events which have met the
// restrictions", with model.md section 2's critical-section condition and PEF_Ring0_Event rule.
bool Scheduler::blocked_eligible(Thread* t) {
  if (t->wait() == nullptr || t->state_ != ThreadState::blocked) return false;
  Flags f = t->wait()->flags;
  const Thread* owner = k_.crit().owner();
  if (owner != nullptr && owner != t && !(f & Block_Force_Svc_Ints)) return false;
  return k_.events().has_work(blocked_judge(t));
}

Thread* Scheduler::keep_best_eligible() {
  Thread* best = look_best_eligible();
  if (!k_.events().work_remains()) {
    top_ = best;
    top_epoch_ = epoch_;
  }
  return best;
}

Thread* Scheduler::look_best_eligible() {
  Thread* best = ready_top();
  // Blocked threads matter only while an event or a Call_When_* callback is pending.
  if (k_.events().work_remains() || blocked_waiting_) best = look_at_blocked(best);
  return best;
}

Thread* Scheduler::look_at_blocked(Thread* best) {
  if (k_.events().work_remains()) {
    for (Thread& t : blocked_) {
      if (blocked_eligible(&t)) {
        if (t.waiting_since_ < 0) t.waiting_since_ = k_.now_us();
        note_waiting(&t);
        blocked_waiting_ = true;
        if (best == nullptr || runs_before(&t, best)) best = &t;
      } else {
        t.waiting_since_ = -1;
      }
    }
  } else if (blocked_waiting_) {
    // Nothing is pending: no blocked thread is eligible any more, so none is waiting for the CPU
    // (a stale waiting_since would count an old wait when the thread is woken later).
    for (Thread& t : blocked_) t.waiting_since_ = -1;
    blocked_waiting_ = false;
  }
  return best;
}

// pick_next: only called where the CPU really changes hands, so every choice point is a real decision
// (and the ready queue changes next: the answer is not kept).
Thread* Scheduler::pick_next() { return choose_among_ties(look_best_eligible()); }

Thread* Scheduler::choose_tie(Thread* best) {
  // Explorer: every eligible thread of the top priority is an option; option 0 is the default.
  Priority top = priority(best);
  std::vector<Thread*> ties;
  if (front_ != nullptr && priority(front_) == top) ties.push_back(front_);
  for (Thread& t : sys_ready_) {
    if (priority(&t) != top) break;
    ties.push_back(&t);
  }
  for (Thread& t : vm_ready_) {
    if (priority(&t) != top) break;
    ties.push_back(&t);
  }
  if (k_.events().work_remains())
    for (Thread& t : blocked_)
      if (priority(&t) == top && t.waiting_since_ >= 0 && blocked_eligible(&t)) ties.push_back(&t);
  if (ties.size() < 2) return best;
  std::sort(ties.begin(), ties.end(), [](const Thread* a, const Thread* b) { return a->tie_key_ < b->tie_key_; });
  std::vector<std::uint64_t> ids;
  ids.reserve(ties.size());
  for (const Thread* t : ties) ids.push_back(t->id);
  return ties[k_.choose(ChoiceKind::thread_tie, ties.size(), ids)];
}

std::int64_t Scheduler::starvation_deadline(Thread** victim) {
  std::int64_t since = Timers::kNever;
  Thread* who = nullptr;
  if (!waiting_.empty()) {
    who = &waiting_.front();
    since = who->waiting_since_;
  }
  if (k_.events().work_remains()) {
    for (Thread& t : blocked_)
      if (t.waiting_since_ >= 0 && t.waiting_since_ < since) {
        since = t.waiting_since_;
        who = &t;
      }
  }
  if (victim) *victim = who;
  starve_bound_us_ = since == Timers::kNever ? since : since + starve_us_;
  return starve_bound_us_;
}

void Scheduler::start_run(Thread* idle) {
  set_state(idle, ThreadState::running);
  current_ = idle;
  idle_since_us_ = 0;
}

void Scheduler::hand_cpu_to(Thread* next, Thread* prev) {
  VMMSIM_VERIFY(!next->finished() && !next->killed, "the CPU is handed to {}, which has finished", next->name);
  VMMSIM_ASSERT(schedulable(next) || next->idle, "the CPU is handed to {}, whose VM is suspended or idle",
                next->name);
  if (next->state_ == ThreadState::ready && next->in_ready_queue()) ready_erase(next);
  if (next->state_ == ThreadState::blocked) {
    next->blocked_hook_.unlink();
    next->servicing = true;  // scheduled only to service events (seed 000)
  }
  set_state(next, ThreadState::running);
  stop_waiting(next);
  if (next != prev) k_.events().on_switch(prev, next);  // time-outs counting execution time
  next->tie_key_ = kRanTieBase + ++switches_;
  next->slice_used_us_ = 0;
  current_ = next;
  if (next->idle) idle_since_us_ = k_.now_us();
  if (k_.logging()) log_run(next, prev);
  if (!next->started) {
    next->started = true;
    next->fiber.start(k_.stacks(), &Kernel::thread_entry, next);
  }
}

void Scheduler::log_run(const Thread* next, const Thread* prev) {
  std::string why = next->servicing && next->wait() ? " to service events while blocked" : "";
  k_.emit("run", fmt::format("runs (priority 0x{:X}){}", priority(next), why),
          {{"from", LogField::Type::string, prev ? prev->name : std::string("-")}});
}

void Scheduler::switch_to(Thread* next) {
  Thread* prev = current_;
  hand_cpu_to(next, prev);
  // A thread that blocks while it is itself the best eligible thread (it has processable events)
  // keeps the CPU to service them: the bookkeeping above, but no fiber switch.
  if (next == prev) return;
  prev->fiber.switch_to(next->fiber);
  // Resumed: prev is current again.
  if (prev->killed) throw ThreadKilled{};
}

void Scheduler::schedule_away() {
  k_.block_ids().offer_spurious_wakeup(k_.space().spurious_wakeups);
  Thread* next = pick_next();
  switch_to(next ? next : k_.idle_thread());
}

void Scheduler::write_state(StateHasher& h, bool by_identity) const {
  for (std::int64_t v : {time_slice_us_, starve_us_, idle_since_us_, static_cast<std::int64_t>(max_sys_base_)})
    h.i64(v);
  h.u64(blocked_waiting_ ? 1u : 0u);
  h.u64(current_ == nullptr ? ~0ULL : current_->id);
  h.tag(11);
  if (by_identity)
    write_waiting_by_identity(h);
  else
    for (const Thread& t : waiting_) h.u64(t.id);
  h.tag(12);
  if (!by_identity) {
    for (const Thread& t : blocked_) h.u64(t.id);
    return;
  }
  // The blocked list as a set. Its order is read in four places, none of which decides an
  // outcome: look_at_blocked marks every eligible one (the best by priority and tie key, not by
  // position); choose_tie sorts its options by tie key; a spurious wake-up is a choice of every
  // sleeper (all taken); starvation_deadline takes the least waiting_since, the list order only
  // naming which of two equal ones is the victim in the message.
  std::vector<std::uint64_t> ids;
  for (const Thread& t : blocked_) ids.push_back(t.id);
  std::sort(ids.begin(), ids.end());
  for (std::uint64_t id : ids) h.u64(id);
}

// write_waiting_by_identity: the waiting list as its runs of equal waiting_since, each run as a
// set. The list is only read at its front (starvation_deadline: the deadline is the front's
// waiting_since). Threads join at the back and leave from anywhere, and a thread's waiting_since
// does not change while it is in the list (start_waiting keeps one already set; the writers that
// reset it, stop_waiting and look_at_blocked, apply to threads out of it). So after any future
// joins and leaves the front's waiting_since is that of the first run with a member left, which
// does not depend on the order inside runs; only the victim named in a starvation message does.
void Scheduler::write_waiting_by_identity(StateHasher& h) const {
  std::vector<std::uint64_t> run;
  std::int64_t since = -1;
  auto flush = [&] {
    std::sort(run.begin(), run.end());
    h.i64(since);
    h.u64(run.size());
    for (std::uint64_t id : run) h.u64(id);
    run.clear();
  };
  for (const Thread& t : waiting_) {
    if (!run.empty() && t.waiting_since_ != since) flush();
    since = t.waiting_since_;
    run.push_back(t.id);
  }
  if (!run.empty()) flush();
}

}  // namespace vmmsim::detail
