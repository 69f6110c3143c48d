// wait.cpp: blocking and waking, the mechanism under block IDs, semaphores and the critical section
// (littlekernel's wait queue). Servicing events while blocked is here: seed 000's "blocked servicing
// events" (model.md section 2).
#include "sync/wait.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

void Waits::on_created(Thread* t) { t->last_wake_step_ = next_step(); }
void Waits::mark_spurious(Thread* t) { t->spurious_at_us_ = k_.now_us(); }

// block: while blocked, the thread may be scheduled to service events; it then takes processing
// point 3 of model.md section 4 and blocks again unless its wait was satisfied meanwhile.
BlockResult Waits::block(Wait& w) {
  Thread* t = k_.current();
  Scheduler& sched = k_.scheduler();
  VMMSIM_VERIFY(!k_.at_interrupt_time() && w.hook.is_linked() && !w.satisfied,
                "{} blocks outside thread context or on a wait not queued on its object", t->name);
  bool was_servicing = t->servicing;
  w.thread = t;
  w.since_us = k_.now_us();
  w.outer = t->wait_;
  t->wait_ = &w;
  t->servicing = false;
  sched.block_current();
  sched.schedule_away();
  if (!w.satisfied) service_until_satisfied(w);
  t->wait_ = w.outer;
  t->servicing = was_servicing;
  return w.result;
}

// service_until_satisfied: t was scheduled to service events while blocked (hand_cpu_to set
// servicing): it services them and blocks again, until its wait is satisfied. Out of line: a plain
// block and wake-up never comes here.
void Waits::service_until_satisfied(Wait& w) {
  Thread* t = w.thread;
  Scheduler& sched = k_.scheduler();
  for (;;) {
    Judge judge = sched.blocked_judge(t);
    bool claimed = false;
    if (judge.as_crit_owner) {  // Block_Force_Svc_Ints: hold the free section while servicing
      k_.crit().claim(t, 1);
      t->forced_crit = true;
      claimed = true;
      judge.as_crit_owner = false;
      judge.extra = 0;
    }
    bool enable_ints = judge.if_forced && !t->if_flag();
    if (enable_ints) k_.set_if_flag(t, true);  // Block_Enable_Ints: IF counts as set while it services
    k_.events().service(t, judge, &w);
    if (enable_ints) k_.set_if_flag(t, false);
    if (claimed) {
      t->forced_crit = false;
      k_.crit().release_fully(t);
    }
    if (w.satisfied) break;
    t->servicing = false;
    sched.block_current();
    if (k_.logging()) k_.emit("block", "blocks again (events serviced)");
    sched.schedule_away();
    if (w.satisfied) break;
  }
}

void Waits::wake(Wait& w, BlockResult why) {
  w.hook.unlink();
  w.satisfied = true;
  w.result = why;
  Thread* t = w.thread;
  t->last_wake_step_ = next_step();
  if (t->wait_ == &w && t->state() == ThreadState::blocked) k_.scheduler().make_ready(t);
}

Wait* Waits::best_waiter(WaitQueue& q) {
  Wait* best = nullptr;
  for (Wait& w : q)
    if (best == nullptr || Scheduler::priority(w.thread) > Scheduler::priority(best->thread)) best = &w;
  return best;
}

}  // namespace vmmsim::detail
