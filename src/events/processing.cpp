// processing.cpp: which event runs at a processing point, and running it (model.md sections 3-4).
#include <fmt/format.h>

#include <vector>

#include "core/kernel.hpp"

namespace vmmsim::detail {

const char* service_name(EventService s) {
  switch (s) {
    case EventService::restricted: return "Call_Restricted_Event";
    case EventService::priority: return "Call_Priority_VM_Event";
    case EventService::global: return "Call_Global_Event";
    case EventService::vm: return "Call_VM_Event";
    case EventService::thread: return "Schedule_Thread_Event";
    case EventService::timeout: return "Set_Global_Time_Out";
  }
  return "?";
}

namespace {
constexpr std::int64_t kMaxCallbacksPerInstant = 100000;  // model.md section 3: zero-time livelock
constexpr std::int64_t kMaxPointsPerInstant = 1000000;
constexpr std::int64_t kMuteLogAfter = 1000;  // keeps the log of a zero-time loop readable
}

// first_processable: the first event of list that may run now; pass 1 skips PEF_Process_Last
// events, pass 2 considers only them (the others already failed in pass 1). While exploring, every
// processable event of the list is added to options instead (the first is the default).
Event* Kernel::first_processable(EventList& list, const Judge& judge, bool process_last_pass,
                                 std::vector<Event*>* options) {
  for (Event& ev : list) {
    if (((ev.flags & PEF_Process_Last) != 0) != process_last_pass) continue;
    if (judge.ring0_only && !(ev.flags & PEF_Ring0_Event)) continue;
    if (!restrictions_hold(ev, judge)) continue;
    if (options == nullptr) return &ev;
    options->push_back(&ev);
  }
  return options != nullptr && !options->empty() ? options->front() : nullptr;
}

// find_processable: seed 001's order: "global events are processed first, then VM events, then
// thread events"; PEF_Process_Last events only if "the initial check fails to find any events".
// seed 000: "there is no guarantee on the order in which events are processed": the explorer may
// take any processable event of the first class that has one, and with --event-order any, of every
// class (seed 001 says "normally" of the class order; PEF_Process_Last's two passes are kept, as
// the flag is the one documented control over the order).
// default_processable is the query (the default order, no chooser asked); find_processable is the
// decision taken where an event is about to run.
Event* Kernel::default_processable(const Judge& judge) {
  Thread* t = judge.thread;
  EventList* lists[3] = {&global_events_, &t->vm->events, &t->events};
  for (bool second_pass : {false, true})
    for (EventList* list : lists)
      if (!list->empty())
        if (Event* ev = first_processable(*list, judge, second_pass, nullptr)) return ev;
  return nullptr;
}

Event* Kernel::find_processable(const Judge& judge) {
  if (!exploring()) return default_processable(judge);
  Thread* t = judge.thread;
  EventList* lists[3] = {&global_events_, &t->vm->events, &t->events};
  std::vector<Event*> options;
  for (bool second_pass : {false, true}) {
    for (EventList* list : lists) {
      if (!list->empty()) first_processable(*list, judge, second_pass, &options);
      if (!options.empty() && !space_.event_order_any) break;
    }
    if (!options.empty()) break;
  }
  if (options.size() < 2) return options.empty() ? nullptr : options.front();
  std::vector<std::uint64_t> ids;
  ids.reserve(options.size());
  for (const Event* ev : options) ids.push_back(ev->handle);
  return options[choose(ChoiceKind::event_order, options.size(), ids)];
}

void Kernel::new_instant() {
  if (instant_us_ != now_us_) {
    instant_us_ = now_us_;
    callbacks_this_instant_ = 0;
    points_this_instant_ = 0;
    log_muted_ = false;
  }
}

// count_processing_point: a loop that reaches processing points without time advancing and without
// running callbacks (e.g. ring3(0) forever) is a zero-time livelock too.
void Kernel::count_processing_point() {
  new_instant();
  if (++points_this_instant_ > kMaxPointsPerInstant)
    end_run(Outcome::starved,
            fmt::format("starved: zero-time livelock: {} reached more than {} event processing points at the "
                        "virtual instant {:.3f} ms without time advancing (e.g. ring3(0) in a loop)",
                        current_->name, kMaxPointsPerInstant, now_us_ / 1000.0));
}

// count_callback: ev is the event about to run (nullptr for the callbacks named by what).
void Kernel::count_callback(const Event* ev, const char* what) {
  new_instant();
  if (callbacks_this_instant_ == kMuteLogAfter && logging()) {
    emit("warning", fmt::format("warning: {} callbacks at {:.3f} ms without time advancing; the log is muted "
                                "until time advances (more than {} end the run as a zero-time livelock)",
                                kMuteLogAfter, now_us_ / 1000.0, kMaxCallbacksPerInstant));
    log_muted_ = true;
  }
  if (++callbacks_this_instant_ > kMaxCallbacksPerInstant)
    end_run(Outcome::starved,
            fmt::format("starved: zero-time livelock: more than {} callbacks ran at the virtual instant "
                        "{:.3f} ms without time advancing (model.md section 3)\n  the last one: {}, run on {} "
                        "(priority 0x{:X})\n  a callback that queues another event processable at once (for "
                        "instance one that reschedules itself) keeps the processing point busy forever\n",
                        kMaxCallbacksPerInstant, now_us_ / 1000.0, ev ? describe_event(*ev) : std::string(what), current_->name,
                        priority(current_)));
}

void Kernel::invoke(const EventCallback& cb, const EventContext& ctx) {
  std::string failure;
  try {
    cb(ctx);
    return;
  } catch (const ThreadKilled&) {
    throw;
  } catch (const ScenarioError& e) {
    failure = e.what();
  } catch (const ServiceError& e) {
    failure = fmt::format("in a callback on {}: {}", current_->name, e.what());
  } catch (const std::exception& e) {
    failure = fmt::format("in a callback on {}: {}", current_->name, e.what());
  } catch (...) {
    failure = fmt::format("in a callback on {}: an exception that is not a std::exception", current_->name);
  }
  fail_run(std::move(failure));
  throw ThreadKilled{};
}

// run_event: model.md section 3 "Boosts": a global event's boost goes onto the thread just before
// its callback; a VM event's boost moves from the VM to the thread unless PEF_Dont_Unboost; after
// the callback it is removed unless PEF_Dont_Unboost. A timed-out event lost its boost already.
void Kernel::run_event(Event* ev, Thread* t) {
  unlink_event(ev);
  ev->running = true;
  if (!ev->timed_out && ev->boost != 0) {
    if (ev->kind == EventTargetKind::global) {
      if (priority(t) + ev->boost >= Priority_Limit) {  // model.md section 3: priorities stay below 2^31
        fail_run(fmt::format("{}: boost 0x{:X} of {} would take {}'s priority 0x{:X} to 2^31 or above when its "
                             "callback runs", service_name(ev->service), ev->boost, describe_event(*ev), t->name,
                             priority(t)));
        throw ThreadKilled{};
      }
      add_thread_boost(t, ev->boost);
      ev->boost_site = BoostSite::thread;
    } else if (ev->kind == EventTargetKind::vm && !(ev->flags & PEF_Dont_Unboost)) {
      add_vm_boost(ev->vm, -ev->boost);
      add_thread_boost(t, ev->boost);
      ev->boost_site = BoostSite::thread;
    }
  }
  bool carry = ev->timed_out && ev->service != EventService::timeout;
  EventContext ctx{t->vm, t, ev->refdata, carry, ev->immediate ? 0 : ev->handle};
  if (logging()) {
    const char* what = ev->service == EventService::timeout ? "time-out" : "event";
    emit(carry ? "event_run_timed_out" : "event_run",
         fmt::format("runs {} callback: {}{}", what,
                     ev->service == EventService::timeout
                         ? fmt::format("Set_Global_Time_Out #{}", ev->seq)
                         : describe_event(*ev),
                     carry ? " (timed out: carry set)" : ""),
         {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->seq)},
          {"handle", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->handle)},
          {"timed_out", LogField::Type::boolean, {}, 0, 0, carry}});
  }
  bool ring0 = (ev->flags & PEF_Ring0_Event) != 0;
  count_callback(ev, nullptr);
  if (ring0) ++t->ring0_depth;
  ++t->callback_depth;
  invoke(ev->callback, ctx);
  --t->callback_depth;
  if (ring0) --t->ring0_depth;
  if (!(ev->flags & PEF_Dont_Unboost)) remove_boost(ev, t);
  --events_pending_;
  free_event(ev);
}

// service_events: the event part of a processing point of the running thread t.
void Kernel::service_events(Thread* t) {
  for (;;) {
    if (!timed_out_.empty()) {  // model.md section 3: "the timed-out callback runs there first"
      run_event(&timed_out_.front(), t);
      continue;
    }
    if (!when_ints_enabled_.empty() && t->if_flag) {
      bool ran = false;
      for (std::size_t i = 0; i < when_ints_enabled_.size(); ++i)
        if (when_ints_enabled_[i].vm == t->vm) {
          PendingCall call = std::move(when_ints_enabled_[i]);
          when_ints_enabled_.erase(when_ints_enabled_.begin() + static_cast<std::ptrdiff_t>(i));
          emit("event_run", "runs Call_When_VM_Ints_Enabled callback (interrupts enabled)");
          count_callback(nullptr, "a Call_When_VM_Ints_Enabled callback");
          ++t->callback_depth;
          invoke(call.callback, EventContext{t->vm, t, call.refdata, false, 0});
          --t->callback_depth;
          ran = true;
          break;
        }
      if (ran) continue;
    }
    if (when_not_critical_armed_ && crit_.owner == nullptr && priority(t) < Critical_Section_Boost) {
      run_when_not_critical();
      continue;
    }
    if (events_pending_ == 0) return;
    Judge judge;
    judge.thread = t;
    Event* ev = find_processable(judge);
    if (ev == nullptr) return;
    run_event(ev, t);
  }
}

// run_when_not_critical: DDK Call_When_Not_Critical: on a release only the most recently installed
// callback runs, and it is removed as it runs.
void Kernel::run_when_not_critical() {
  when_not_critical_armed_ = false;
  if (when_not_critical_.empty()) return;
  PendingCall call = std::move(when_not_critical_.back());
  when_not_critical_.pop_back();
  Thread* t = current_;
  emit("event_run", "runs Call_When_Not_Critical callback (critical section released)");
  count_callback(nullptr, "a Call_When_Not_Critical callback");
  ++t->callback_depth;
  invoke(call.callback, EventContext{t->vm, t, call.refdata, false, 0});
  --t->callback_depth;
}

// time_out_event: model.md section 3 "Time-out": the event leaves its queue, loses its boost (even
// with PEF_Dont_Unboost, seed 003) and its callback runs at the next processing point, carry set.
void Kernel::time_out_event(Event* ev) {
  unlink_event(ev);
  remove_boost(ev, nullptr);
  ev->timed_out = true;
  timed_out_.push_back(*ev);
  if (logging())
    emit("event_timeout",
         ev->service == EventService::timeout
             ? fmt::format("Set_Global_Time_Out #{} is due", ev->seq)
             : fmt::format("{} timed out after {:.3f} ms", describe_event(*ev),
                           (now_us_ - ev->queued_at_us) / 1000.0),
         {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->seq)}});
}

}  // namespace vmmsim::detail
