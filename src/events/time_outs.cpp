// time_outs.cpp: Set_Global_Time_Out, Set_VM_Time_Out, Set_Thread_Time_Out, Set_Async_Time_Out and
// Cancel_Time_Out (DDK pages of the same names), and what happens when an event's PEF_Time_Out or a
// time-out comes due (model.md section 3, "Time-out"). A time-out is an event with no queue: it
// shares the handle table, the timed-out queue and the callback path with events.
//
// Clocks. A global or async time-out is due at a virtual time and sits in the timer queue from the
// start. A VM or thread time-out counts only its target's execution time (Thread::exec_us,
// VM::exec_us; the System VM's includes the idle thread's): its deadline is in that time, and it is
// in the timer queue only while its target holds the CPU (on_switch arms and disarms it).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

const char* time_out_service(TimeoutClock clock) {
  switch (clock) {
    case TimeoutClock::global: return "Set_Global_Time_Out";
    case TimeoutClock::vm: return "Set_VM_Time_Out";
    case TimeoutClock::thread: return "Set_Thread_Time_Out";
    case TimeoutClock::async: return "Set_Async_Time_Out";
  }
  return "?";
}

Event* EventQueues::new_time_out(const char* name, TimeoutClock clock, EventCallback callback, RefData refdata) {
  if (!callback) throw ServiceError(name, "a callback is required");
  Event* ev = table_.alloc(k_.now_us());
  ev->service = EventService::timeout;
  ev->kind = EventTargetKind::global;
  ev->clock = clock;
  ev->refdata = refdata;
  ev->callback = std::move(callback);
  ev->timer.kind = TimerKind::timeout;
  ev->timer.ref = ev->handle;
  return ev;
}

// wall_clock_time_out: a time-out due at a virtual time (global, or async: DDK "Set_Async_Time_Out":
// "Callback runs at hardware-interrupt time").
TIMEOUTHANDLE EventQueues::wall_clock_time_out(TimeoutClock clock, double ms, EventCallback callback,
                                               RefData refdata) {
  const char* name = time_out_service(clock);
  k_.check_running(name);
  std::int64_t delay = Kernel::duration_us(name, "time", ms);
  Event* ev = new_time_out(name, clock, std::move(callback), refdata);
  ev->deadline_us = k_.jittered(k_.now_us() + delay);
  k_.timers().arm(ev->timer, ev->deadline_us, k_.timers().next_seq());
  if (k_.logging())
    k_.emit("timeout_set", fmt::format("{} #{} due at {:.3f} ms{}", name, ev->seq, ev->deadline_us / 1000.0,
                                       clock == TimeoutClock::async ? " (runs at interrupt time)" : ""),
            log_fields(*ev));
  return ev->handle;
}

TIMEOUTHANDLE EventQueues::set_global_time_out(double ms, EventCallback callback, RefData refdata) {
  return wall_clock_time_out(TimeoutClock::global, ms, std::move(callback), refdata);
}

TIMEOUTHANDLE EventQueues::set_async_time_out(double ms, EventCallback callback, RefData refdata) {
  return wall_clock_time_out(TimeoutClock::async, ms, std::move(callback), refdata);
}

// DDK "Set_VM_Time_Out": "Counts only time while that VM runs."
TIMEOUTHANDLE EventQueues::set_vm_time_out(double ms, VM* vm, EventCallback callback, RefData refdata) {
  const char* name = "Set_VM_Time_Out";
  k_.check_running(name);
  k_.check_vm(name, vm);
  std::int64_t delay = Kernel::duration_us(name, "time", ms);
  if (!vm->system && vm->thread->finished())
    throw ServiceError(name, fmt::format("VM {} has no live thread (its thread finished)", vm->name));
  Event* ev = new_time_out(name, TimeoutClock::vm, std::move(callback), refdata);
  ev->vm = vm;
  ev->deadline_us = vm->exec_us() + delay;
  vm->exec_timeouts_.push_back(*ev);
  if (k_.current()->vm == vm) arm_exec(ev);
  if (k_.logging())
    k_.emit("timeout_set", fmt::format("{} #{} for VM {}: after {:.3f} ms of its execution", name, ev->seq,
                                       vm->name, delay / 1000.0),
            log_fields(*ev));
  return ev->handle;
}

// DDK "Set_Thread_Time_Out": "Thread execution time."
TIMEOUTHANDLE EventQueues::set_thread_time_out(double ms, Thread* thread, EventCallback callback, RefData refdata) {
  const char* name = "Set_Thread_Time_Out";
  k_.check_running(name);
  k_.check_thread(name, thread);
  std::int64_t delay = Kernel::duration_us(name, "time", ms);
  if (thread->finished()) throw ServiceError(name, fmt::format("thread {} has finished", thread->name));
  Event* ev = new_time_out(name, TimeoutClock::thread, std::move(callback), refdata);
  ev->vm = thread->vm;
  ev->thread = thread;
  ev->deadline_us = thread->exec_us() + delay;
  thread->exec_timeouts_.push_back(*ev);
  if (k_.current() == thread) arm_exec(ev);
  if (k_.logging())
    k_.emit("timeout_set", fmt::format("{} #{} for {}: after {:.3f} ms of its execution", name, ev->seq,
                                       thread->name, delay / 1000.0),
            log_fields(*ev));
  return ev->handle;
}

EventList& EventQueues::exec_list(Event* ev) {
  return ev->clock == TimeoutClock::thread ? ev->thread->exec_timeouts_ : ev->vm->exec_timeouts_;
}

// arm_exec: its target holds the CPU: due when the target's execution time reaches the deadline.
// (No jitter here: it would make every switch a choice point.)
void EventQueues::arm_exec(Event* ev) {
  std::int64_t ran = ev->clock == TimeoutClock::thread ? ev->thread->exec_us() : ev->vm->exec_us();
  std::int64_t left = ev->deadline_us > ran ? ev->deadline_us - ran : 0;
  k_.timers().arm(ev->timer, k_.now_us() + left, k_.timers().next_seq());
}

void EventQueues::switch_exec_time_outs(Thread* prev, Thread* next) {
  bool vm_changes = prev == nullptr || prev->vm != next->vm;
  if (prev != nullptr) {
    for (Event& ev : prev->exec_timeouts_) k_.timers().disarm(ev.timer);
    if (vm_changes)
      for (Event& ev : prev->vm->exec_timeouts_) k_.timers().disarm(ev.timer);
  }
  for (Event& ev : next->exec_timeouts_) arm_exec(&ev);
  if (vm_changes)
    for (Event& ev : next->vm->exec_timeouts_) arm_exec(&ev);
}

void EventQueues::cancel_time_out(TIMEOUTHANDLE handle) {
  const char* name = "Cancel_Time_Out";
  k_.check_running(name);
  if (handle == 0) return;
  Event* ev = table_.lookup(handle);
  if (ev == nullptr)
    throw ServiceError(fmt::format("{}: stale time-out handle {} (it already ran or was cancelled)", name,
                                   handle));
  if (ev->service != EventService::timeout)
    throw ServiceError(fmt::format("{}: handle {} belongs to a {}; cancel it with {}", name, handle,
                                   describe(*ev), cancel_service_name(ev->service)));
  if (ev->running) throw ServiceError(fmt::format("{}: handle {}: its callback is running", name, handle));
  unlink(ev);
  if (k_.logging()) k_.emit("event_cancel", fmt::format("{} cancelled time-out #{}", name, ev->seq), log_fields(*ev));
  table_.release(ev);
}

// on_timer: model.md section 3 "Time-out": the event leaves its queue, loses its boost (even with
// PEF_Dont_Unboost, seed 003) and its callback runs at the next processing point, carry set. A
// time-out's callback runs there too, except an async one, which runs now, at interrupt time.
void EventQueues::on_timer(EVENTHANDLE handle) {
  Event* ev = table_.lookup(handle);
  VMMSIM_VERIFY(ev != nullptr && !ev->timed_out, "a timer fired for event handle {:#x}, which is not pending", handle);
  unlink(ev);
  move_boost(ev, BoostSite::none, nullptr);
  if (ev->service == EventService::timeout && ev->clock == TimeoutClock::async) {
    ev->running = true;
    Thread* t = k_.current();
    if (k_.logging())
      k_.emit("event_run", fmt::format("runs Set_Async_Time_Out #{} callback at interrupt time", ev->seq),
              log_fields(*ev));
    k_.count_callback(nullptr, ev);
    EventContext ctx{t->vm, t, ev->refdata, false, ev->handle};
    k_.call_at_interrupt_time([&] { ev->callback(ctx); }, "a Set_Async_Time_Out callback");
    if (k_.annotating())
      k_.annotate("event_done", fmt::format("callback of #{} returned", ev->seq),
                  {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->seq)}});
    table_.release(ev);
    return;
  }
  ev->timed_out = true;
  timed_out_.push_back(*ev);
  if (k_.logging())
    k_.emit("event_timeout",
            ev->service == EventService::timeout
                ? fmt::format("{} #{} is due", time_out_service(ev->clock), ev->seq)
                : fmt::format("{} timed out after {:.3f} ms", describe(*ev),
                              (k_.now_us() - ev->queued_at_us) / 1000.0),
            log_fields(*ev));
}

}  // namespace vmmsim::detail
