// event_services.cpp: Call_* / Schedule_* / Cancel_* (seed 001 "Call_Restricted_Event", seed 003
// "Call_Priority_VM_Event", the DDK's event services), Call_When_Not_Critical and
// Call_When_VM_Ints_Enabled, and where an event's boost sits (model.md section 3, "Boosts").
#include <fmt/format.h>

#include <cmath>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {

// Immediate calls inside callbacks nest C++ frames: bounded so a driver's recursion ends in an error.
constexpr int kMaxNestedCallbacks = 200;

}  // namespace

void EventQueues::validate(EventService service, const char* name, Priority boost,
                           const EventTarget& target, Flags flags, double timeout_ms, EventTargetKind& kind,
                           VM*& vm, Thread*& thread) const {
  // The service boundary has checked the run (Kernel::check_running, core/services.cpp).
  if (flags & ~PEF_Known_Mask)
    throw ServiceError(fmt::format("{}: unknown flag bits 0x{:X} (DDK \"Call_Restricted_Event\": all other values are reserved)",
                                   name, flags & ~PEF_Known_Mask));
  if ((flags & PEF_Wait_For_STI) && (flags & PEF_Wait_For_Thread_STI))
    throw ServiceError(fmt::format("{}: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI",
                                   name));
  if (boost < 0 || boost > Reserved_High_Boost)
    throw ServiceError(fmt::format("{}: boost 0x{:X} is outside 0 .. Reserved_High_Boost (0x{:X})", name,
                                   boost, Reserved_High_Boost));
  if (flags & PEF_Time_Out) Kernel::duration_us(name, "time-out", timeout_ms);
  if (service == EventService::priority && (flags & PEF_Thread_Event))
    throw ServiceError(fmt::format("{}: PEF_Thread_Event is not allowed; use Call_Restricted_Event", name));
  thread = nullptr;
  vm = nullptr;
  if (target.invalid != 0)
    throw ServiceError(fmt::format("{}: handle {} is not 0, a VM or a thread", name, target.invalid));
  if (flags & PEF_Thread_Event) {
    if (target.thread == nullptr)
      throw ServiceError(fmt::format("{}: PEF_Thread_Event needs a thread handle", name));
    thread = k_.check_thread(name, target.thread);
    vm = thread->vm;
    kind = EventTargetKind::thread;
  } else if (target.thread != nullptr) {
    throw ServiceError(fmt::format("{}: a thread handle needs PEF_Thread_Event", name));
  } else if (target.vm != nullptr) {
    vm = k_.check_vm(name, target.vm);
    kind = EventTargetKind::vm;
  } else {
    if (service == EventService::priority)
      throw ServiceError(fmt::format("{}: the VM handle is 0", name));
    kind = EventTargetKind::global;
  }
  if ((flags & PEF_Wait_Crit) && kind != EventTargetKind::global)
    throw ServiceError(fmt::format("{}: PEF_Wait_Crit may be applied only to global events (handle 0)", name));
  if ((flags & PEF_Wait_Crit_VM) && (kind != EventTargetKind::vm || vm != k_.sys_vm()))
    throw ServiceError(fmt::format("{}: PEF_Wait_Crit_VM may be set only when the handle is the System VM",
                                   name));
  if (thread != nullptr && thread->finished())
    throw ServiceError(fmt::format("{}: thread {} has finished", name, thread->name));
  if (thread != nullptr && thread->idle && !(flags & PEF_Thread_Event))
    throw ServiceError(fmt::format("{}: bad target", name));
  if (kind == EventTargetKind::vm && !vm->system && vm->thread->finished())
    throw ServiceError(fmt::format("{}: VM {} has no live thread (its thread finished)", name, vm->name));
  // model.md section 3: the priority a boost produces must stay below 2^31.
  Priority target_prio = 0;
  if (thread) target_prio = Scheduler::priority(thread);
  else if (vm && vm->thread) target_prio = Scheduler::priority(vm->thread);
  else if (vm) target_prio = k_.scheduler().highest_sys_priority();
  else target_prio = k_.current() ? Scheduler::priority(k_.current()) : 0;
  if (target_prio + boost >= Priority_Limit)
    throw ServiceError(fmt::format("{}: boost 0x{:X} takes priority 0x{:X} to 2^31 or above", name, boost,
                                   target_prio));
}

// move_boost: model.md section 3, "Boosts", the one place a boost moves. A VM event's boost goes
// onto the whole VM when it is queued, a thread event's onto the thread; a global event's only just
// before its callback runs (processing.cpp), and a VM event's moves from the VM to the thread that
// runs it unless PEF_Dont_Unboost. BoostSite::none removes it from wherever it is.
void EventQueues::move_nonzero_boost(Event* ev, BoostSite site, Thread* t) {
  Scheduler& s = k_.scheduler();
  switch (ev->boost_site) {
    case BoostSite::none: break;
    case BoostSite::vm: s.add_vm_boost(ev->vm, -ev->boost); break;
    case BoostSite::thread: s.add_thread_boost(ev->boost_thread, -ev->boost); break;
  }
  switch (site) {
    case BoostSite::none: break;
    case BoostSite::vm: s.add_vm_boost(ev->vm, ev->boost); break;
    case BoostSite::thread: s.add_thread_boost(t, ev->boost); break;
  }
  ev->boost_site = site;
  ev->boost_thread = site == BoostSite::thread ? t : nullptr;
}

void EventQueues::enqueue(Event* ev) {
  // Decided (docs/model.md): an event for a VM idle after Release_Time_Slice wakes it.
  if (ev->kind != EventTargetKind::global && ev->vm->idle())
    k_.scheduler().wake_up_vm(ev->vm, "an event is queued for it");
  switch (ev->kind) {
    case EventTargetKind::global: global_.push_back(*ev); break;
    case EventTargetKind::vm: ev->vm->events_.push_back(*ev); break;
    case EventTargetKind::thread: ev->thread->events_.push_back(*ev); break;
  }
  if (ev->deadline_us >= 0) {  // PEF_Time_Out
    ev->deadline_us = k_.jittered(ev->deadline_us);
    ev->timer.kind = TimerKind::event_timeout;
    ev->timer.ref = ev->handle;
    k_.timers().arm(ev->timer, ev->deadline_us, k_.timers().next_seq());
  }
}

// warn_never_runnable: seed 001: "passing a PriorityBoost greater than or equal to
// Critical_Section_Boost will prevent the event from ever satisfying its own restrictions". Called
// for every queued VM or thread event: each PEF_Wait_Not_Crit event that its target now keeps from
// ever running is warned about, once.
void EventQueues::warn_never_runnable(const Event& queued) {
  Thread* t = queued.kind == EventTargetKind::thread ? queued.thread
              : queued.vm->system ? nullptr : queued.vm->thread;
  EventList* lists[2] = {&queued.vm->events_, t ? &t->events_ : nullptr};
  for (EventList* list : lists) {
    if (list == nullptr) continue;
    for (Event& ev : *list) {
      if (ev.warned_never_runnable) continue;
      const PriorityCeiling* ceiling = never_satisfiable(ev);
      if (ceiling == nullptr) continue;
      ev.warned_never_runnable = true;
      Priority floor = pending_floor(ev);
      k_.emit("warning",
              ev.boost >= ceiling->limit
                  ? fmt::format("warning: {}: {} with boost 0x{:X} >= {} can never satisfy its own restriction "
                                "({})", describe(ev), ceiling->flag_name, ev.boost, ceiling->limit_name,
                                ceiling->source)
                  : fmt::format("warning: {}: {} can never run: its target's base priority and pending boosts "
                                "add up to 0x{:X} >= {} ({}, model.md section 3)", describe(ev), ceiling->flag_name,
                                floor, ceiling->limit_name, ceiling->source));
    }
  }
}

// warn_time_out_mismatch: issue #10 item 5: likely driver bugs get a warning, not silence. Out of
// line: call_event's frame is on the path of callbacks nested 200 deep (kMaxNestedCallbacks).
void EventQueues::warn_time_out_mismatch(const char* name, Flags flags, double timeout_ms) {
  if (flags & PEF_Time_Out)
    k_.emit("warning", fmt::format("warning: {}: PEF_Time_Out with a time-out of 0 ms: the event times out at "
                                   "the first time check unless it runs before", name));
  else
    k_.emit("warning", fmt::format("warning: {}: a time-out of {:g} ms without PEF_Time_Out is ignored", name,
                                   timeout_ms));
}

EVENTHANDLE EventQueues::call_event(EventService service, const char* name, Priority boost, EventTarget target,
                                    Flags flags, RefData refdata, EventCallback&& callback, double timeout_ms) {
  EventTargetKind kind;
  VM* vm;
  Thread* thread;
  validate(service, name, boost, target, flags, timeout_ms, kind, vm, thread);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  if (((flags & PEF_Time_Out) != 0) != (timeout_ms != 0)) warn_time_out_mismatch(name, flags, timeout_ms);
  Event* ev = table_.alloc(k_.now_us());
  ev->service = service;
  ev->kind = kind;
  ev->vm = vm;
  ev->thread = thread;
  ev->flags = flags;
  ev->boost = boost;
  ev->refdata = refdata;
  ev->callback.swap(callback);  // the slot's callback is empty (EventTable::release): cheaper than a move
  if (flags & PEF_Time_Out) ev->deadline_us = k_.now_us() + Kernel::to_us(timeout_ms);

  // model.md section 3, "Immediate call": no PEF_Always_Sched, not at interrupt time, the target
  // is the current context, every restriction holds now (judged with the boost placed as if queued).
  Thread* cur = k_.current();
  bool here = kind == EventTargetKind::global || (kind == EventTargetKind::vm && vm == cur->vm) ||
              (kind == EventTargetKind::thread && thread == cur);
  if (kind == EventTargetKind::vm) move_boost(ev, BoostSite::vm, nullptr);
  if (kind == EventTargetKind::thread) move_boost(ev, BoostSite::thread, thread);
  Judge judge;
  judge.thread = cur;
  if (!(flags & PEF_Always_Sched) && !k_.at_interrupt_time() && here &&
      failing_restrictions(k_, *ev, judge) == 0) {
    if (cur->callback_depth >= kMaxNestedCallbacks) {
      move_boost(ev, BoostSite::none, nullptr);
      table_.release(ev);
      throw ServiceError(fmt::format("{}: callbacks nested {} deep, each run at once by a Call_* service in the "
                                     "previous one; use PEF_Always_Sched or a Schedule_* service", name,
                                     cur->callback_depth));
    }
    ev->deadline_us = -1;
    if (k_.logging()) k_.emit("event_call", fmt::format("{} {} runs at once", name, describe(*ev)), log_fields(*ev));
    ev->immediate = true;
    run_event(ev, cur);
    return 0;
  }
  enqueue(ev);
  if (k_.logging())
    k_.emit("event_queued", fmt::format("{} queued {}", name, describe(*ev)), log_fields(*ev));
  if (kind != EventTargetKind::global) warn_never_runnable(*ev);
  if ((flags & PEF_Process_Last) && kind != EventTargetKind::vm)
    k_.emit("warning", fmt::format("warning: {}: PEF_Process_Last is meant for VM events only (DDK \"Call_Restricted_Event\")", name));
  return ev->handle;
}

void EventQueues::cancel_event(EventService service, const char* name, EVENTHANDLE handle, VM* vm,
                               Thread* thread) {
  // The service boundary has checked the run (Kernel::check_running, core/services.cpp).
  if (handle == 0) return;  // DDK: 0 is allowed and ignored
  Event* ev = table_.lookup(handle);
  if (ev != nullptr && ev->service == EventService::timeout)
    throw ServiceError(fmt::format("{}: handle {} belongs to a {} time-out; cancel it with "
                                   "Cancel_Time_Out", name, handle, time_out_service(ev->clock)));
  if (ev == nullptr)
    throw ServiceError(fmt::format("{}: stale event handle {} (its event already ran or was cancelled)", name,
                                   handle));
  if (ev->service != service)
    throw ServiceError(fmt::format("{}: handle {} belongs to a {} event; cancel it with {}", name,
                                   handle, describe(*ev), cancel_service_name(ev->service)));
  if (service == EventService::vm && ev->vm != vm)
    throw ServiceError(fmt::format("{}: handle {} is an event for VM {}, not VM {}", name, handle,
                                   ev->vm->name, vm ? vm->name : std::string("0")));
  if (service == EventService::thread && ev->thread != thread)
    throw ServiceError(fmt::format("{}: handle {} is an event for thread {}, not {}", name,
                                   handle, ev->thread->name,
                                   thread ? thread->name : std::string("0")));
  if (ev->running)
    throw ServiceError(fmt::format("{}: handle {}: its callback is running (DDK: cancel only pending events)",
                                   name, handle));
  // DDK: cancelling removes the boost even with PEF_Dont_Unboost.
  move_boost(ev, BoostSite::none, nullptr);
  unlink(ev);
  if (k_.logging()) k_.emit("event_cancel", fmt::format("{} cancelled {}", name, describe(*ev)), log_fields(*ev));
  table_.release(ev);
}

void EventQueues::call_when_not_critical(EventCallback callback, RefData refdata) {
  const char* name = "Call_When_Not_Critical";
  k_.check_running(name);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  when_not_critical_.push_back({std::move(callback), refdata, k_.current()->vm, k_.now_us()});
  k_.emit("event_queued", fmt::format("{} installed (runs at the next release of the critical section)", name));
}

void EventQueues::call_when_idle(IdleCallback callback) {
  const char* name = "Call_When_Idle";
  k_.check_running(name);
  if (!callback) throw ServiceError(name, "a callback is required");
  when_idle_.push_back(std::move(callback));
  k_.emit("event_queued", fmt::format("{} installed (runs at the start of each idle period)", name));
}

bool EventQueues::run_idle_callbacks(Thread* idle, std::uint64_t period) {
  if (when_idle_.empty() || idle_period_served_ == period) return false;
  idle_period_served_ = period;
  for (std::size_t i = 0; i < when_idle_.size(); ++i) {
    k_.emit("event_run", fmt::format("runs Call_When_Idle callback {} of {} (the CPU is idle)", i + 1,
                                     when_idle_.size()));
    k_.count_callback("a Call_When_Idle callback");
    IdleCallback cb = when_idle_[i];  // the callback may install another (reallocating)
    bool used = false;
    ++idle->callback_depth;
    k_.invoke([&](const EventContext& ctx) { used = cb(ctx); }, EventContext{idle->vm, idle, 0, false, 0});
    --idle->callback_depth;
    if (k_.annotating()) k_.annotate("event_done", "Call_When_Idle callback returned", {});
    if (used) break;
  }
  return true;
}

void EventQueues::call_when_vm_ints_enabled(EventCallback callback, RefData refdata) {
  const char* name = "Call_When_VM_Ints_Enabled";
  k_.check_running(name);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  Thread* cur = k_.current();
  // DDK: runs at once if the current VM has interrupts enabled, otherwise when it next does.
  if (!k_.at_interrupt_time() && cur->if_flag()) {
    k_.emit("event_call", fmt::format("{} runs at once (interrupts enabled)", name));
    EventContext ctx{cur->vm, cur, refdata, false, 0};
    ++cur->callback_depth;
    k_.invoke(callback, ctx);
    --cur->callback_depth;
    if (k_.annotating()) k_.annotate("event_done", fmt::format("{} callback returned", name), {});
    return;
  }
  when_ints_enabled_.push_back({std::move(callback), refdata, cur->vm, k_.now_us()});
  k_.emit("event_queued", fmt::format("{} installed for VM {} (interrupts disabled)", name, cur->vm->name));
}

}  // namespace vmmsim::detail
