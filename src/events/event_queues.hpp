// event_queues.hpp: the events subsystem (seeds 000, 001, 003; model.md sections 3 and 4): the event
// services, the queues they fill (global, per VM, per thread, timed out), boosts held by pending
// events, the Call_When_* callbacks, time-outs, and the event part of every processing point.
//
// It owns every Event (EventTable) and every list an event sits on; VMs and threads carry their
// lists, but only this class touches them. "How many events are pending" is the table's count of
// live events, never a counter kept on the side.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/thread.hpp"
#include "core/vm.hpp"
#include "vmmsim/log.hpp"
#include "events/event_table.hpp"
#include "events/restrictions.hpp"
#include "vmmsim/chooser.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {
class StateHasher;
class UserState;
struct Wait;
}  // namespace vmmsim

namespace vmmsim::detail {

class Kernel;

// PendingCall: a Call_When_Not_Critical, Call_When_VM_Ints_Enabled or Call_When_Idle callback
// installed and not yet run.
struct PendingCall {
  EventCallback callback;
  RefData refdata = 0;
  VM* vm = nullptr;
  std::int64_t installed_us = 0;
};

// Work: what a processing point runs next for a thread (the kinds in the order they are consulted).
enum class WorkKind : std::uint8_t { none, timed_out, when_ints_enabled, when_not_critical, event };

// PriorityCeiling: a restriction that holds only while its thread's priority is below a limit, so a
// VM or thread event whose target's base priority and pending boosts reach the limit can never run
// (seed 001 for PEF_Wait_Not_Crit, seed 003 for PEF_Wait_Not_HW_Int / PEF_Wait_Not_Time_Crit).
struct PriorityCeiling {
  Flags flag;
  const char* flag_name;
  Priority limit;
  const char* limit_name;
  const char* source;
};

// time_out_service: the service that set a time-out of this clock.
const char* time_out_service(TimeoutClock clock);

// service_name / cancel_service_name: the service that creates, or cancels, events of this kind.
const char* service_name(EventService s);
const char* cancel_service_name(EventService s);

class EventQueues {
 public:
  explicit EventQueues(Kernel& k) : k_(k) {}
  ~EventQueues();

  // --- Services (event_services.cpp) ----------------------------------------------------------------
  // call_event / cancel_event: the event services; their boundary (core/services.cpp) has checked
  // the run, and the callback moves into the event.
  EVENTHANDLE call_event(EventService service, const char* name, Priority boost, EventTarget target, Flags flags,
                         RefData refdata, EventCallback&& callback, double timeout_ms);
  void cancel_event(EventService service, const char* name, EVENTHANDLE handle, VM* vm, Thread* thread);
  void call_when_not_critical(EventCallback callback, RefData refdata);
  void call_when_vm_ints_enabled(EventCallback callback, RefData refdata);
  void call_when_idle(IdleCallback callback);
  // run_idle_callbacks: the idle thread has nothing to do in idle period `period` (a count that
  // changes whenever another thread has run): the Call_When_Idle chain, once per period. True if
  // something ran (the caller looks for eligible threads again).
  bool run_idle_callbacks(Thread* idle, std::uint64_t period);
  // --- Time-outs (time_outs.cpp) ------------------------------------------------------------------------
  TIMEOUTHANDLE set_global_time_out(double ms, EventCallback callback, RefData refdata);
  TIMEOUTHANDLE set_vm_time_out(double ms, VM* vm, EventCallback callback, RefData refdata);
  TIMEOUTHANDLE set_thread_time_out(double ms, Thread* thread, EventCallback callback, RefData refdata);
  TIMEOUTHANDLE set_async_time_out(double ms, EventCallback callback, RefData refdata);
  // on_switch: the CPU goes from prev to next: time-outs counting the execution time of prev (or its
  // VM) stop, those of next (or its VM) start (Scheduler::hand_cpu_to).
  // On every switch: the test whether any such time-out exists is inline.
  void on_switch(Thread* prev, Thread* next) {
    if ((prev != nullptr && (!prev->exec_timeouts().empty() || !prev->vm->exec_timeouts().empty())) ||
        !next->exec_timeouts().empty() || !next->vm->exec_timeouts().empty())
      switch_exec_time_outs(prev, next);
  }
  void cancel_time_out(TIMEOUTHANDLE handle);
  // on_timer: an event's or time-out's deadline has come (Kernel::fire_due_timer).
  void on_timer(EVENTHANDLE handle);

  // --- Processing (processing.cpp) ----------------------------------------------------------------------
  // service: the event part of a processing point of the running thread t, judged by judge: run
  // every piece of work in order until none is left, or until `until` (the wait a thread services
  // events in) is satisfied.
  void service(Thread* t, const Judge& judge, const Wait* until);
  // has_work: whether a processing point of judge.thread would run something now (the scheduler's
  // "contains events which have met the restrictions", seed 000). A query: no chooser is asked.
  bool has_work(const Judge& judge);
  // on_crit_released: the critical section was released with no waiter left (critical_section.cpp).
  // The Call_When_Not_Critical callbacks run at once on the releaser when they may, else at the next
  // processing point where they may; only_arm: never at once (End_Crit_And_Suspend is atomic).
  enum class AtRelease : std::uint8_t { run_if_possible, only_arm };
  void on_crit_released(Thread* releaser, AtRelease at = AtRelease::run_if_possible);

  // --- Queries --------------------------------------------------------------------------------------------
  // live: events pending, timed out or running, time-outs included.
  std::size_t live() const { return table_.live(); }
  // work_remains: events or installed Call_When_* callbacks that have not run (model.md section 6).
  bool work_remains() const { return live() > 0 || !when_not_critical_.empty() || !when_ints_enabled_.empty(); }
  Event* lookup(EVENTHANDLE handle) const { return table_.lookup(handle); }
  const EventList& global() const { return global_; }
  const EventList& timed_out() const { return timed_out_; }
  const std::vector<PendingCall>& when_not_critical() const { return when_not_critical_; }
  const std::vector<PendingCall>& when_ints_enabled() const { return when_ints_enabled_; }
  // last_crit_release_us: when the critical section was last released with no waiter (-1: never).
  std::int64_t last_crit_release_us() const { return last_crit_release_us_; }
  // pending_floor: the lowest priority ev's target can have while the events now pending stay
  // pending (model.md section 3: "counting every boost pending on it").
  Priority pending_floor(const Event& ev) const;
  // never_satisfiable: the ceiling among ev's flags that ev's target already reaches (pending_floor),
  // or nullptr. Global events have no fixed target and are never judged so.
  const PriorityCeiling* never_satisfiable(const Event& ev) const;
  std::string describe(const Event& ev) const;
  // log_fields: what describe says, as the log records' fields (event, handle, target_kind
  // global/vm/thread, target_name, boost, flags); a time-out's target is its clock's.
  std::vector<LogField> log_fields(const Event& ev) const;

  // write_state: the global and timed-out queues, the handle allocator, the Call_When_* callbacks
  // (user describes callbacks); write_events: one queue (VMs' and threads' are written with them).
  bool write_state(StateHasher& h, UserState& user) const;
  static bool write_events(StateHasher& h, UserState& user, const EventList& list);
  // check_invariants: each live event in exactly one place (core/invariants.cpp).
  void check_invariants();
  template <class Fn>
  void for_each_live(Fn fn) {
    table_.for_each_live(fn);
  }
  // teardown: the run is over; unlink everything (the table is destroyed with the kernel).
  void teardown();

 private:
  // time_outs.cpp
  Event* new_time_out(const char* name, TimeoutClock clock, EventCallback callback, RefData refdata);
  TIMEOUTHANDLE wall_clock_time_out(TimeoutClock clock, double ms, EventCallback callback, RefData refdata);
  void arm_exec(Event* ev);
  void switch_exec_time_outs(Thread* prev, Thread* next);
  // exec_list: the list of time-outs counting ev's target's execution time.
  EventList& exec_list(Event* ev);
  // event_services.cpp
  void validate(EventService service, const char* name, Priority boost, const EventTarget& target, Flags flags,
                double timeout_ms, EventTargetKind& kind, VM*& vm, Thread*& thread) const;
  void warn_never_runnable(const Event& queued);
  [[gnu::noinline]] void warn_time_out_mismatch(const char* name, Flags flags, double timeout_ms);
  void enqueue(Event* ev);
  // boost: model.md section 3 "Boosts", in one place: the event's boost moves to site (on thread t
  // for BoostSite::thread), leaving where it was.
  void move_boost(Event* ev, BoostSite site, Thread* t) {
    if (ev->boost != 0) move_nonzero_boost(ev, site, t);  // inline: most events carry none
  }
  void move_nonzero_boost(Event* ev, BoostSite site, Thread* t);
  // processing.cpp
  void unlink(Event* ev);
  Event* first_processable(EventList& list, const RestrictionMask& mask, bool process_last_pass,
                          std::vector<Event*>* options);
  Event* default_processable(const Judge& judge);
  Event* choose_processable(const Judge& judge);
  WorkKind next_work(const Judge& judge, bool deciding, Event** ev, std::size_t* call);
  void run_event(Event* ev, Thread* t);
  [[gnu::cold]] void log_run_event(const Event& ev, bool carry);
  void run_call(PendingCall call, Thread* t, const char* what, const char* log);
  void run_when_not_critical(Thread* t);
  void finish(Event* ev);

  Kernel& k_;
  EventTable table_;
  EventList global_;
  EventList timed_out_;  // timed out, callback due at the next processing point
  std::vector<PendingCall> when_not_critical_;
  bool when_not_critical_armed_ = false;  // a release happened since the last one ran
  std::int64_t last_crit_release_us_ = -1;  // for the diagnosis of a callback that never ran
  std::vector<PendingCall> when_ints_enabled_;
  std::vector<IdleCallback> when_idle_;  // permanent (there is no Cancel_Call_When_Idle here)
  std::uint64_t idle_period_served_ = ~0ULL;
};

}  // namespace vmmsim::detail
