// scheduler.hpp: the scheduler of seed 000 ("Event Processing"): who holds the CPU, the ready
// queue, ties, time slices, execution priorities and boosts, thread states, and VM suspension.
//
// seed 000: "the scheduler chooses the highest-priority thread in the system which satisfies
//   (Not suspended) and ((Is not blocked) or ((Is blocked servicing events) and (contains events
//   which have met the restrictions)))".
// Ready threads sit in two ordered sets, but for the one readied last, which waits in a front slot
// (ready_insert says why); blocked threads are only examined while some event is
// pending, since without one no blocked thread can be eligible.
#pragma once

#include <boost/intrusive/list.hpp>
#include <boost/intrusive/set.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/thread.hpp"
#include "core/vm.hpp"
#include "events/restrictions.hpp"

namespace vmmsim {
class StateHasher;
}

namespace vmmsim::detail {

class Kernel;

// Ready queue order: higher priority first, then smaller tie_key (least recently switched to;
// never-run threads in creation order). System VM threads are keyed without the System VM's own
// boost, which lifts them all equally: a VM event for the System VM must not re-key 100,000 threads.
struct SysReadyOrder {
  bool operator()(const Thread& a, const Thread& b) const {
    Priority pa = a.base + a.boost(), pb = b.base + b.boost();
    return pa != pb ? pa > pb : a.tie_key() < b.tie_key();
  }
};
struct VmReadyOrder {
  bool operator()(const Thread& a, const Thread& b) const {
    Priority pa = a.base + a.boost() + a.vm->boost(), pb = b.base + b.boost() + b.vm->boost();
    return pa != pb ? pa > pb : a.tie_key() < b.tie_key();
  }
};

class Scheduler {
 public:
  explicit Scheduler(Kernel& k) : k_(k) {}
  ~Scheduler();

  // --- Priorities (priorities.cpp) ---------------------------------------------------------------
  static Priority priority(const Thread* t) { return t->base + t->boost_ + t->vm->boost_; }
  // add_thread_boost / add_vm_boost: the only writers of boosts; they keep the ready sets ordered.
  void add_thread_boost(Thread* t, Priority delta);
  void add_vm_boost(VM* vm, Priority delta);
  // keep_boost: a boost stays on t or vm with no event holding it any more (PEF_Dont_Unboost).
  void keep_boost(Thread* t, VM* vm, Priority boost);
  // highest_sys_priority: an O(1) bound on the priority of any System VM thread (range checks).
  Priority highest_sys_priority() const;
  void adjust_exec_priority(Priority delta, VM* vm);           // Adjust_Exec_Priority
  void adjust_thread_exec_priority(Priority delta, Thread* t);  // Adjust_Thread_Exec_Priority

  // --- Threads (scheduler.cpp) -----------------------------------------------------------------------
  // set_state: the one checked thread state transition (marl's ASSERT_FIBER_STATE); allowed: the
  // transitions of model.md section 1, as a bit per (from, to). ready -> ready is a thread made
  // ready again (preempted while it was already counted ready by Suspend_VM).
  static constexpr bool allowed(ThreadState from, ThreadState to) {
    constexpr auto bit = [](ThreadState f, ThreadState t) {
      return 1u << (static_cast<unsigned>(f) * 4 + static_cast<unsigned>(t));
    };
    constexpr unsigned kAllowed = bit(ThreadState::ready, ThreadState::running) |
                                  bit(ThreadState::ready, ThreadState::ready) |
                                  bit(ThreadState::running, ThreadState::ready) |
                                  bit(ThreadState::running, ThreadState::blocked) |
                                  bit(ThreadState::running, ThreadState::finished) |
                                  bit(ThreadState::blocked, ThreadState::ready) |
                                  bit(ThreadState::blocked, ThreadState::running);
    return (kAllowed & bit(from, to)) != 0;
  }
  void set_state(Thread* t, ThreadState to) {
    if (!allowed(t->state_, to)) [[unlikely]] refuse_transition(t, to);
    t->state_ = to;
  }
  // on_created: t exists and is ready; its tie key is its creation order.
  void on_created(Thread* t);
  // make_ready: t can run (woken, created, preempted); it waits for the CPU from now.
  void make_ready(Thread* t);
  // block_current: the running thread blocks (it joins the blocked list if its VM is not suspended).
  void block_current();
  // finish_current: the running thread's body has returned.
  void finish_current();
  // After the run has ended (core/run.cpp): unwind_on makes t current while its fiber unwinds;
  // abandon drops t whatever its state, for a binding that cannot unwind (abandon_current_thread).
  void unwind_on(Thread* t) { current_ = t; }
  void abandon(Thread* t);
  // best_eligible: the thread the scheduler rule puts first, in the default tie order. A query: it
  // asks no chooser. It also keeps waiting_since of blocked threads up to date (starvation).
  // While no event or Call_When_* callback is pending, no blocked thread can be eligible and the
  // answer is the ready queue's top: it is kept with the epoch it was found at, and a processing
  // point at the same epoch (nothing readied, taken off the queue or boosted since) takes it as is.
  // Inline, in core/kernel.hpp (the test reads the event queues); look_best_eligible looks and
  // keeps nothing, keep_best_eligible looks and keeps the answer.
  inline Thread* best_eligible();
  Thread* look_best_eligible();
  // look_at_blocked: best, or a blocked thread eligible before it (out of line: only while something
  // is pending, or to forget the waits of blocked threads once nothing is).
  Thread* look_at_blocked(Thread* best);
  Thread* keep_best_eligible();
  // pick_next: the thread that gets the CPU now, the chooser deciding among equal-priority ones.
  Thread* pick_next();
  // choose_among_ties: best, or while exploring the chooser's pick among its equals (inline, in
  // core/kernel.hpp: the test asks the kernel; choose_tie asks the chooser).
  inline Thread* choose_among_ties(Thread* best);
  Thread* choose_tie(Thread* best);
  // hand_cpu_to: the bookkeeping of giving the CPU to next; switch_to: and the fiber switch.
  void hand_cpu_to(Thread* next, Thread* prev);
  void switch_to(Thread* next);
  // schedule_away: the current thread gives up the CPU to the best eligible thread, or the idle one.
  void schedule_away();
  // starvation_deadline: the earliest time a waiting thread will have waited starve_ms (reads
  // waiting_since as the last best_eligible() left it). It makes starvation_bound() exact.
  std::int64_t starvation_deadline(Thread** victim);
  // starvation_bound: a time at or before starvation_deadline(), in O(1), for run_timed to test
  // instead of finding the deadline at every point: each wait that begins (a thread readied, a
  // blocked thread found eligible) lowers it to its own deadline, and a wait that ends only moves
  // the deadline later, so the bound stays at or before it until run_timed reaches the bound and
  // asks for the exact deadline.
  std::int64_t starvation_bound() const { return starve_bound_us_; }
  // blocked_judge / blocked_eligible: how a blocked thread's events are judged, and seed 000's
  // "blocked servicing events and contains events which have met the restrictions".
  Judge blocked_judge(const Thread* t) const;
  bool blocked_eligible(Thread* t);
  Thread* current() const { return current_; }
  void start_run(Thread* idle);  // the idle thread holds the CPU first
  void count_slice(Thread* t, std::int64_t us) { t->slice_used_us_ += us; }
  std::uint64_t switches() const { return switches_; }
  std::int64_t idle_since_us() const { return idle_since_us_; }  // when the idle thread last got the CPU
  std::int64_t time_slice_us() const { return time_slice_us_; }
  void configure(std::int64_t time_slice_us, std::int64_t starve_us) {
    time_slice_us_ = time_slice_us;
    starve_us_ = starve_us;
  }
  std::int64_t starve_us() const { return starve_us_; }
  template <class Fn>
  void for_each_blocked(Fn fn) {
    for (Thread& t : blocked_) fn(t);
  }

  // --- VMs (suspend.cpp) -------------------------------------------------------------------------------
  bool suspend_vm(VM* vm);  // Suspend_VM
  void resume_vm(VM* vm, const char* service = "Resume_VM");  // Resume_VM, No_Fail_Resume_VM
  // --- The time slicer's services (time_slice.cpp) -------------------------------------------------
  void release_time_slice();  // Release_Time_Slice
  void wake_up_vm(VM* vm, const char* why = nullptr);  // Wake_Up_VM (why: woken by something else)

  // write_state: its settings, the current thread, the order of its lists (threads' own fields are
  // written with each thread). by_identity: only the order the model reads (scheduler.cpp).
  void write_state(StateHasher& h, bool by_identity = false) const;
  void check_invariants() const;  // core/invariants.cpp
  void teardown();

 private:
  using ReadyHookOpt = bi::member_hook<Thread, ReadyHook, &Thread::ready_hook_>;
  using SysReadySet = bi::multiset<Thread, ReadyHookOpt, bi::compare<SysReadyOrder>>;
  using VmReadySet = bi::multiset<Thread, ReadyHookOpt, bi::compare<VmReadyOrder>>;
  using WaitingList = bi::list<Thread, bi::member_hook<Thread, ListHook, &Thread::waiting_hook_>,
                               bi::constant_time_size<false>>;
  using BlockedList = bi::list<Thread, bi::member_hook<Thread, ListHook, &Thread::blocked_hook_>,
                               bi::constant_time_size<false>>;

  // ready_insert / ready_erase: t joins or leaves the ready queue: the two ordered sets and the front
  // slot (front_), which holds the thread readied last. That thread is most often the next to get
  // the CPU (a _SignalID wakes the thread its caller then blocks for): from the slot it is handed
  // the CPU without a tree insert and erase. The slot's previous thread goes into its set.
  void ready_insert(Thread* t);
  void ready_erase(Thread* t);
  void set_insert(Thread* t);
  // Out of line and cold: what the hot paths do only when logging or failing.
  [[gnu::cold]] void log_run(const Thread* next, const Thread* prev);
  [[noreturn, gnu::cold]] static void refuse_transition(const Thread* t, ThreadState to);
  bool schedulable(const Thread* t) const { return !t->vm->suspended() && !t->vm->idle(); }
  // rejoin: t's VM became schedulable again: t goes back to the list its state says.
  void rejoin(Thread* t);
  Thread* ready_top() const;
  static bool runs_before(const Thread* a, const Thread* b);
  void start_waiting(Thread* t);
  void stop_waiting(Thread* t);
  void write_waiting_by_identity(StateHasher& h) const;
  // note_waiting: t waits for the CPU since t->waiting_since_ (starvation_bound).
  void note_waiting(const Thread* t) {
    starve_bound_us_ = std::min(starve_bound_us_, t->waiting_since_ + starve_us_);
  }

  Kernel& k_;
  Thread* current_ = nullptr;
  SysReadySet sys_ready_;
  VmReadySet vm_ready_;
  Thread* front_ = nullptr;  // a ready thread in neither set (ready_insert)
  WaitingList waiting_;  // ready threads not running, oldest wait first
  BlockedList blocked_;  // blocked threads of VMs that are not suspended
  std::uint64_t switches_ = 0;
  // epoch_: moves on every change to what ready_top() reads: the ready queue's threads and their
  // priorities (ready_insert, ready_erase, add_thread_boost, add_vm_boost).
  std::uint64_t epoch_ = 0;
  std::uint64_t top_epoch_ = ~std::uint64_t{0};  // the epoch top_ was found at
  Thread* top_ = nullptr;                         // best_eligible() with nothing pending, at top_epoch_
  bool blocked_waiting_ = false;  // some blocked thread has waiting_since set (best_eligible)
  Priority max_sys_base_ = 0;     // the highest base priority of a System VM thread
  std::int64_t idle_since_us_ = 0;
  std::int64_t time_slice_us_ = 20000;
  std::int64_t starve_us_ = 1000000;
  std::int64_t starve_bound_us_ = std::numeric_limits<std::int64_t>::max();  // starvation_bound()
};

}  // namespace vmmsim::detail
