// event_services.cpp: Call_* / Schedule_* / Cancel_* (seed 001, seed 003, DDK event services).
#include <fmt/format.h>

#include <cmath>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {

const char* cancel_service_for(EventService s) {
  switch (s) {
    case EventService::restricted: return "Cancel_Restricted_Event";
    case EventService::priority: return "Cancel_Priority_VM_Event";
    case EventService::global: return "Cancel_Global_Event";
    case EventService::vm: return "Cancel_VM_Event";
    case EventService::thread: return "Cancel_Thread_Event";
    case EventService::timeout: return "Cancel_Time_Out";
  }
  return "?";
}

}  // namespace

void Kernel::validate_event_call(EventService service, const char* name, Priority boost,
                                 const EventTarget& target, Flags flags, double timeout_ms,
                                 EventTargetKind& kind, VM*& vm, Thread*& thread) const {
  check_running(name);
  if (flags & ~PEF_Known_Mask)
    throw ServiceError(fmt::format("{}: unknown flag bits 0x{:X} (seed 001: all other values are reserved)",
                                   name, flags & ~PEF_Known_Mask));
  if ((flags & PEF_Wait_For_STI) && (flags & PEF_Wait_For_Thread_STI))
    throw ServiceError(fmt::format("{}: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI",
                                   name));
  if (boost < 0 || boost > Reserved_High_Boost)
    throw ServiceError(fmt::format("{}: boost 0x{:X} is outside 0 .. Reserved_High_Boost (0x{:X})", name,
                                   boost, Reserved_High_Boost));
  if (flags & PEF_Time_Out) duration_us(name, "time-out", timeout_ms);
  if (service == EventService::priority && (flags & PEF_Thread_Event))
    throw ServiceError(fmt::format("{}: PEF_Thread_Event is not allowed; use Call_Restricted_Event", name));
  thread = nullptr;
  vm = nullptr;
  if (target.invalid != 0)
    throw ServiceError(fmt::format("{}: handle {} is not 0, a VM or a thread", name, target.invalid));
  if (flags & PEF_Thread_Event) {
    if (target.thread == nullptr)
      throw ServiceError(fmt::format("{}: PEF_Thread_Event needs a thread handle", name));
    thread = check_thread(name, target.thread);
    vm = thread->vm;
    kind = EventTargetKind::thread;
  } else if (target.thread != nullptr) {
    throw ServiceError(fmt::format("{}: a thread handle needs PEF_Thread_Event", name));
  } else if (target.vm != nullptr) {
    vm = check_vm(name, target.vm);
    kind = EventTargetKind::vm;
  } else {
    if (service == EventService::priority)
      throw ServiceError(fmt::format("{}: the VM handle is 0", name));
    kind = EventTargetKind::global;
  }
  if ((flags & PEF_Wait_Crit) && kind != EventTargetKind::global)
    throw ServiceError(fmt::format("{}: PEF_Wait_Crit may be applied only to global events (handle 0)", name));
  if ((flags & PEF_Wait_Crit_VM) && (kind != EventTargetKind::vm || vm != sys_vm_))
    throw ServiceError(fmt::format("{}: PEF_Wait_Crit_VM may be set only when the handle is the System VM",
                                   name));
  if (thread != nullptr && thread->state == ThreadState::finished)
    throw ServiceError(fmt::format("{}: thread {} has finished", name, thread->name));
  if (thread != nullptr && thread->idle && !(flags & PEF_Thread_Event))
    throw ServiceError(fmt::format("{}: bad target", name));
  if (kind == EventTargetKind::vm && !vm->system && vm->thread->state == ThreadState::finished)
    throw ServiceError(fmt::format("{}: VM {} has no live thread (its thread finished)", name, vm->name));
  // model.md section 3: the priority a boost produces must stay below 2^31.
  Priority target_prio = 0;
  if (thread) target_prio = priority(thread);
  else if (vm && vm->thread) target_prio = priority(vm->thread);
  else if (vm) target_prio = highest_sys_priority();
  else target_prio = current_ ? priority(current_) : 0;
  if (target_prio + boost >= Priority_Limit)
    throw ServiceError(fmt::format("{}: boost 0x{:X} takes priority 0x{:X} to 2^31 or above", name, boost,
                                   target_prio));
}

// place_boost: model.md section 3. VM event: onto the whole VM when queued; thread event: onto the
// thread when queued; global event: only just before its callback (run_event).
void Kernel::place_boost(Event* ev) {
  if (ev->boost == 0) return;
  if (ev->kind == EventTargetKind::vm) {
    add_vm_boost(ev->vm, ev->boost);
    ev->boost_site = BoostSite::vm;
  } else if (ev->kind == EventTargetKind::thread) {
    add_thread_boost(ev->thread, ev->boost);
    ev->boost_site = BoostSite::thread;
  }
}

void Kernel::remove_boost(Event* ev, Thread* ran_on) {
  switch (ev->boost_site) {
    case BoostSite::none: break;
    case BoostSite::vm: add_vm_boost(ev->vm, -ev->boost); break;
    case BoostSite::thread: add_thread_boost(ran_on ? ran_on : ev->thread, -ev->boost); break;
  }
  ev->boost_site = BoostSite::none;
}

void Kernel::enqueue_event(Event* ev) {
  switch (ev->kind) {
    case EventTargetKind::global: global_events_.push_back(*ev); break;
    case EventTargetKind::vm: ev->vm->events.push_back(*ev); break;
    case EventTargetKind::thread: ev->thread->events.push_back(*ev); break;
  }
  ++events_pending_;
  if (ev->deadline_us >= 0) {
    ++timed_pending_;
    ev->deadline_us = jittered(ev->deadline_us);
    timers_.push({ev->deadline_us, ++timer_seq_, TimerKind::event_timeout, ev->handle});
  }
}

// unlink_event: the event leaves every queue (it runs, is cancelled or times out).
void Kernel::unlink_event(Event* ev) {
  if (ev->hook.is_linked()) {
    if (ev->timed_out) {
      timed_out_.erase(timed_out_.iterator_to(*ev));
    } else {
      switch (ev->kind) {
        case EventTargetKind::global: global_events_.erase(global_events_.iterator_to(*ev)); break;
        case EventTargetKind::vm: ev->vm->events.erase(ev->vm->events.iterator_to(*ev)); break;
        case EventTargetKind::thread: ev->thread->events.erase(ev->thread->events.iterator_to(*ev)); break;
      }
    }
  }
  if (ev->deadline_us >= 0 && !ev->timed_out) --timed_pending_;
  ev->deadline_us = -1;
}

// pending_boosts: the boosts that pending events hold on a list's target (they leave only when
// those events run, time out or are cancelled).
static Priority pending_boosts(const EventList& list) {
  Priority sum = 0;
  for (const Event& ev : list)
    if (ev.boost_site != BoostSite::none) sum += ev.boost;
  return sum;
}

// pending_floor: the lowest priority ev's target can have while the events now pending stay
// pending: its base plus every boost pending on it, on the thread or on its VM. model.md section 3:
// a PEF_Wait_Not_Crit event "can never run once its target's priority, counting every boost
// pending on it, reaches Critical_Section_Boost". (For the System VM, whose threads differ, the
// lowest base, 0, is assumed.)
Priority Kernel::pending_floor(const Event& ev) const {
  const Thread* t = ev.kind == EventTargetKind::thread ? ev.thread
                    : (ev.kind == EventTargetKind::vm && !ev.vm->system) ? ev.vm->thread
                                                                          : nullptr;
  if (t != nullptr) return t->base + pending_boosts(t->events) + pending_boosts(t->vm->events);
  return ev.kind == EventTargetKind::vm ? pending_boosts(ev.vm->events) : 0;
}

// warn_never_runnable: seed 001: "passing a PriorityBoost greater than or equal to
// Critical_Section_Boost will prevent the event from ever satisfying its own restrictions". Called
// for every queued VM or thread event: each PEF_Wait_Not_Crit event that its target now keeps from
// ever running is warned about, once.
void Kernel::warn_never_runnable(const Event& queued) {
  Thread* t = queued.kind == EventTargetKind::thread ? queued.thread
              : queued.vm->system ? nullptr : queued.vm->thread;
  EventList* lists[2] = {&queued.vm->events, t ? &t->events : nullptr};
  for (EventList* list : lists) {
    if (list == nullptr) continue;
    for (Event& ev : *list) {
      if (!(ev.flags & PEF_Wait_Not_Crit) || ev.warned_never_runnable) continue;
      Priority floor = pending_floor(ev);
      if (floor < Critical_Section_Boost) continue;
      ev.warned_never_runnable = true;
      emit("warning",
           ev.boost >= Critical_Section_Boost
               ? fmt::format("warning: {}: PEF_Wait_Not_Crit with boost 0x{:X} >= Critical_Section_Boost "
                             "can never satisfy its own restriction (seed 001)", describe_event(ev), ev.boost)
               : fmt::format("warning: {}: PEF_Wait_Not_Crit can never run: its target's base priority and "
                             "pending boosts add up to 0x{:X} >= Critical_Section_Boost (seed 001, model.md "
                             "section 3)", describe_event(ev), floor));
    }
  }
}

EVENTHANDLE Kernel::call_event(EventService service, const char* name, Priority boost, EventTarget target,
                               Flags flags, RefData refdata, EventCallback callback, double timeout_ms) {
  EventTargetKind kind;
  VM* vm;
  Thread* thread;
  validate_event_call(service, name, boost, target, flags, timeout_ms, kind, vm, thread);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  Event* ev = alloc_event();
  ev->service = service;
  ev->kind = kind;
  ev->vm = vm;
  ev->thread = thread;
  ev->flags = flags;
  ev->boost = boost;
  ev->refdata = refdata;
  ev->callback = std::move(callback);
  if (flags & PEF_Time_Out) ev->deadline_us = now_us_ + to_us(timeout_ms);

  // model.md section 3, "Immediate call": no PEF_Always_Sched, not at interrupt time, the target
  // is the current context, every restriction holds now (judged with the boost placed as if queued).
  Thread* cur = current_;
  bool here = kind == EventTargetKind::global || (kind == EventTargetKind::vm && vm == cur->vm) ||
              (kind == EventTargetKind::thread && thread == cur);
  place_boost(ev);
  Judge judge;
  judge.thread = cur;
  if (!(flags & PEF_Always_Sched) && interrupt_depth_ == 0 && here &&
      restrictions_hold(*ev, judge)) {
    if (cur->callback_depth >= kMaxNestedCallbacks) {
      remove_boost(ev, nullptr);
      free_event(ev);
      throw ServiceError(fmt::format("{}: callbacks nested {} deep, each run at once by a Call_* service in the "
                                     "previous one; use PEF_Always_Sched or a Schedule_* service", name,
                                     cur->callback_depth));
    }
    ev->deadline_us = -1;
    ++events_pending_;  // run_event counts it down
    if (logging()) emit("event_call", fmt::format("{} {} runs at once", name, describe_event(*ev)));
    ev->immediate = true;
    run_event(ev, cur);
    return 0;
  }
  enqueue_event(ev);
  if (logging())
    emit("event_queued", fmt::format("{} queued {}", name, describe_event(*ev)),
         {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->seq)},
          {"handle", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->handle)}});
  if (kind != EventTargetKind::global) warn_never_runnable(*ev);
  if ((flags & PEF_Process_Last) && kind != EventTargetKind::vm)
    emit("warning", fmt::format("warning: {}: PEF_Process_Last is meant for VM events only (seed 001)", name));
  return ev->handle;
}

void Kernel::cancel_event(EventService service, const char* name, EVENTHANDLE handle, VM* vm, Thread* thread) {
  check_running(name);
  if (handle == 0) return;  // DDK: 0 is allowed and ignored
  Event* ev = lookup_event(handle);
  if (ev != nullptr && ev->service == EventService::timeout)
    throw ServiceError(fmt::format("{}: handle {} belongs to a Set_Global_Time_Out time-out; cancel it with "
                                   "Cancel_Time_Out", name, handle));
  if (ev == nullptr)
    throw ServiceError(fmt::format("{}: stale event handle {} (its event already ran or was cancelled)", name,
                                   handle));
  if (ev->service != service)
    throw ServiceError(fmt::format("{}: handle {} belongs to a {} event; cancel it with {}", name,
                                   handle, describe_event(*ev), cancel_service_for(ev->service)));
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
  remove_boost(ev, nullptr);
  unlink_event(ev);
  --events_pending_;
  if (logging()) emit("event_cancel", fmt::format("{} cancelled {}", name, describe_event(*ev)));
  free_event(ev);
}

void Kernel::call_when_not_critical(EventCallback callback, RefData refdata) {
  const char* name = "Call_When_Not_Critical";
  check_running(name);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  when_not_critical_.push_back({std::move(callback), refdata, current_->vm, now_us_});
  emit("event_queued", fmt::format("{} installed (runs at the next release of the critical section)", name));
}

void Kernel::call_when_vm_ints_enabled(EventCallback callback, RefData refdata) {
  const char* name = "Call_When_VM_Ints_Enabled";
  check_running(name);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  // DDK: runs at once if the current VM has interrupts enabled, otherwise when it next does.
  if (interrupt_depth_ == 0 && current_->if_flag) {
    emit("event_call", fmt::format("{} runs at once (interrupts enabled)", name));
    EventContext ctx{current_->vm, current_, refdata, false, 0};
    ++current_->callback_depth;
    invoke(callback, ctx);
    --current_->callback_depth;
    return;
  }
  when_ints_enabled_.push_back({std::move(callback), refdata, current_->vm, now_us_});
  emit("event_queued", fmt::format("{} installed for VM {} (interrupts disabled)", name, current_->vm->name));
}

TIMEOUTHANDLE Kernel::set_global_time_out(double ms, EventCallback callback, RefData refdata) {
  const char* name = "Set_Global_Time_Out";
  check_running(name);
  if (!callback) throw ServiceError(fmt::format("{}: a callback is required", name));
  std::int64_t delay = duration_us(name, "time", ms);
  Event* ev = alloc_event();
  ev->service = EventService::timeout;
  ev->kind = EventTargetKind::global;
  ev->refdata = refdata;
  ev->callback = std::move(callback);
  ev->deadline_us = jittered(now_us_ + delay);
  ++events_pending_;
  ++timed_pending_;
  timers_.push({ev->deadline_us, ++timer_seq_, TimerKind::global_timeout, ev->handle});
  emit("timeout_set", fmt::format("{} #{} due at {:.3f} ms", name, ev->seq,
                                  ev->deadline_us / 1000.0));
  return ev->handle;
}

void Kernel::cancel_time_out(TIMEOUTHANDLE handle) {
  const char* name = "Cancel_Time_Out";
  check_running(name);
  if (handle == 0) return;
  Event* ev = lookup_event(handle);
  if (ev == nullptr)
    throw ServiceError(fmt::format("{}: stale time-out handle {} (it already ran or was cancelled)", name,
                                   handle));
  if (ev->service != EventService::timeout)
    throw ServiceError(fmt::format("{}: handle {} belongs to a {}; cancel it with {}", name, handle,
                                   describe_event(*ev), cancel_service_for(ev->service)));
  if (ev->running)
    throw ServiceError(fmt::format("{}: handle {}: its callback is running", name, handle));
  if (ev->hook.is_linked()) timed_out_.erase(timed_out_.iterator_to(*ev));
  else --timed_pending_;
  --events_pending_;
  emit("event_cancel", fmt::format("{} cancelled time-out #{}", name, ev->seq));
  free_event(ev);
}

}  // namespace vmmsim::detail
