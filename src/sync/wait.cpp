// wait.cpp: blocking and waking, the mechanism under block IDs, semaphores and the critical
// section (style/anchors.md: littlekernel's wait queue). Servicing events while blocked is here:
// seed 000's "blocked servicing events".
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// block_current: the current thread blocks until w is satisfied. While blocked it may be scheduled
// to service events (model.md section 2); it then blocks again unless its wait was satisfied.
void Kernel::block_current(Wait& w) {
  Thread* t = current_;
  bool was_servicing = t->servicing;
  w.thread = t;
  w.since_us = now_us_;
  w.outer = t->wait;
  t->wait = &w;
  t->servicing = false;
  t->state = ThreadState::blocked;
  if (schedulable(t)) blocked_.push_back(*t);
  for (;;) {
    schedule_away();
    if (w.satisfied) break;
    // Scheduled to service events (switch_to set servicing): processing point 3 of model.md 4.
    Judge judge = blocked_judge(t);
    bool claimed = false;
    if (judge.as_crit_owner) {  // Block_Force_Svc_Ints: hold the free section while servicing
      claim_crit(t, 1);
      t->forced_crit = true;
      claimed = true;
      judge.as_crit_owner = false;
      judge.extra = 0;
    }
    bool enable_ints = judge.if_forced && !t->if_flag;
    if (enable_ints) {  // Block_Enable_Ints: IF counts as set while it services events
      t->if_flag = true;
      --t->vm->threads_if_clear;
    }
    while (Event* ev = find_processable(judge)) {
      run_event(ev, t);
      if (w.satisfied) break;
    }
    if (enable_ints) {
      t->if_flag = false;
      ++t->vm->threads_if_clear;
    }
    if (claimed) {
      t->forced_crit = false;
      release_crit_fully(t);
    }
    if (w.satisfied) break;
    t->servicing = false;
    t->state = ThreadState::blocked;
    if (schedulable(t)) blocked_.push_back(*t);
    if (logging()) emit("block", "blocks again (events serviced)");
  }
  t->wait = w.outer;
  t->servicing = was_servicing;
}

// wake: w is satisfied. If it is its thread's innermost wait, the thread becomes ready; an outer
// wait (the thread blocked again inside a callback it runs while servicing) is only marked, and
// the thread sees it when its callbacks return.
void Kernel::wake(Wait& w) {
  w.hook.unlink();
  w.satisfied = true;
  Thread* t = w.thread;
  t->last_wake_step = ++step_;
  if (t->wait == &w && t->state == ThreadState::blocked) {
    t->blocked_hook.unlink();
    make_ready(t);
  }
}

// best_waiter: DDK: the highest-priority waiter first, FIFO among equals.
Wait* Kernel::best_waiter(WaitQueue& q) const {
  Wait* best = nullptr;
  for (Wait& w : q)
    if (best == nullptr || priority(w.thread) > priority(best->thread)) best = &w;
  return best;
}

void Kernel::teardown_waits() {
  ids_.for_each([](BlockIdState& state) { state.waiters.clear(); });
  for (auto& s : semaphores_) s->waiters.clear();
  crit_.waiters.clear();
}

}  // namespace vmmsim::detail
