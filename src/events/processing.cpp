// processing.cpp: what a processing point runs, in order, and running it (model.md sections 3-4).
//
// One loop serves every processing point, whether the thread is running or blocked servicing
// events (seed 000: "a thread which is ostensibly blocked on a synchronization object can be called
// upon to do work while waiting"): timed-out callbacks first, then Call_When_VM_Ints_Enabled and
// Call_When_Not_Critical callbacks whose condition holds, then events whose restrictions hold.
#include <fmt/format.h>

#include <vector>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// unlink: the event leaves every queue and the timer queue (it runs, is cancelled or times out).
void EventQueues::unlink(Event* ev) {
  if (ev->hook.is_linked()) {
    if (ev->timed_out) {
      timed_out_.erase(timed_out_.iterator_to(*ev));
    } else if (ev->service == EventService::timeout) {  // a VM or thread time-out not yet due
      EventList& list = exec_list(ev);
      list.erase(list.iterator_to(*ev));
    } else {
      switch (ev->kind) {
        case EventTargetKind::global: global_.erase(global_.iterator_to(*ev)); break;
        case EventTargetKind::vm: ev->vm->events_.erase(ev->vm->events_.iterator_to(*ev)); break;
        case EventTargetKind::thread: ev->thread->events_.erase(ev->thread->events_.iterator_to(*ev)); break;
      }
    }
  }
  k_.timers().disarm(ev->timer);
  ev->deadline_us = -1;
}

// first_processable: the first event of list that may run now; pass 1 skips PEF_Process_Last
// events, pass 2 considers only them (the others already failed in pass 1). While exploring, every
// processable event of the list is added to options instead (the first is the default).
// mask: the restrictions failing now for judge (computed once per search: nothing changes during one).
Event* EventQueues::first_processable(EventList& list, const RestrictionMask& mask, bool process_last_pass,
                                      std::vector<Event*>* options) {
  const Judge& judge = *mask.judge;
  for (Event& ev : list) {
    if (((ev.flags & PEF_Process_Last) != 0) != process_last_pass) continue;
    if (judge.ring0_only && !(ev.flags & PEF_Ring0_Event)) continue;
    if (failing_restrictions(mask, ev) != 0) continue;
    if (options == nullptr) return &ev;
    options->push_back(&ev);
  }
  return options != nullptr && !options->empty() ? options->front() : nullptr;
}

// seed 001's order: "global events are processed first, then VM events, then thread events";
// PEF_Process_Last events only if "the initial check fails to find any events". seed 000: "there
// is no guarantee on the order in which events are processed": the explorer may take any
// processable event of the first class that has one, and with --event-order any, of every class
// (seed 001 says "normally" of the class order; PEF_Process_Last's two passes are kept, as the flag
// is the one documented control over the order). default_processable is the query (no chooser
// asked); choose_processable is the decision taken where an event is about to run.
Event* EventQueues::default_processable(const Judge& judge) {
  Thread* t = judge.thread;
  EventList* lists[3] = {&global_, &t->vm->events_, &t->events_};
  RestrictionMask mask = restriction_mask(k_, judge);
  for (bool second_pass : {false, true})
    for (EventList* list : lists)
      if (!list->empty())
        if (Event* ev = first_processable(*list, mask, second_pass, nullptr)) return ev;
  return nullptr;
}

Event* EventQueues::choose_processable(const Judge& judge) {
  if (!k_.exploring()) return default_processable(judge);
  Thread* t = judge.thread;
  EventList* lists[3] = {&global_, &t->vm->events_, &t->events_};
  std::vector<Event*> options;
  RestrictionMask mask = restriction_mask(k_, judge);
  for (bool second_pass : {false, true}) {
    for (EventList* list : lists) {
      if (!list->empty()) first_processable(*list, mask, second_pass, &options);
      if (!options.empty() && !k_.space().event_order_any) break;
    }
    if (!options.empty()) break;
  }
  if (options.size() < 2) return options.empty() ? nullptr : options.front();
  std::vector<std::uint64_t> ids;
  ids.reserve(options.size());
  for (const Event* ev : options) ids.push_back(ev->handle);
  return options[k_.choose(ChoiceKind::event_order, options.size(), ids)];
}

// next_work: the kinds of work in the order model.md section 4 runs them. A thread blocked without
// servicing flags (judge.ring0_only) runs only PEF_Ring0_Event events (model.md section 2).
WorkKind EventQueues::next_work(const Judge& judge, bool deciding, Event** ev, std::size_t* call) {
  Thread* t = judge.thread;
  if (!judge.ring0_only) {
    if (!timed_out_.empty()) {  // model.md section 3: "the timed-out callback runs there first"
      *ev = &timed_out_.front();
      return WorkKind::timed_out;
    }
    if (!when_ints_enabled_.empty() && (t->if_flag() || judge.if_forced))
      for (std::size_t i = 0; i < when_ints_enabled_.size(); ++i)
        if (when_ints_enabled_[i].vm == t->vm) {
          *call = i;
          return WorkKind::when_ints_enabled;
        }
    // DDK "Call_When_Not_Critical": on a release, once the priority is below Critical_Section_Boost.
    if (when_not_critical_armed_ && !when_not_critical_.empty() && k_.crit().owner() == nullptr &&
        !judge.as_crit_owner && Scheduler::priority(t) + judge.extra < Critical_Section_Boost)
      return WorkKind::when_not_critical;
  }
  if (table_.live() == 0) return WorkKind::none;
  Event* found = deciding ? choose_processable(judge) : default_processable(judge);
  if (found == nullptr) return WorkKind::none;
  *ev = found;
  return WorkKind::event;
}

bool EventQueues::has_work(const Judge& judge) {
  Event* ev = nullptr;
  std::size_t call = 0;
  return next_work(judge, false, &ev, &call) != WorkKind::none;
}

void EventQueues::service(Thread* t, const Judge& judge, const Wait* until) {
  VMMSIM_VERIFY(t == k_.current() && judge.thread == t, "events are serviced for {}, which does not hold the CPU",
                t->name);
  for (;;) {
    // model.md section 1 and seed 000 ("event processing is secondary to the scheduler"): the idle
    // thread runs only when no other thread can, so while any other is eligible its work waits and
    // that thread gets the CPU. (A thread that is not idle processes every processable event of a
    // point before it may be switched: model.md section 4.)
    if (t->idle && k_.scheduler().best_eligible() != nullptr) return;
    Event* ev = nullptr;
    std::size_t call = 0;
    switch (next_work(judge, true, &ev, &call)) {
      case WorkKind::none: return;
      case WorkKind::timed_out:
      case WorkKind::event: run_event(ev, t); break;
      case WorkKind::when_ints_enabled: {
        PendingCall c = std::move(when_ints_enabled_[call]);
        when_ints_enabled_.erase(when_ints_enabled_.begin() + static_cast<std::ptrdiff_t>(call));
        run_call(std::move(c), t, "a Call_When_VM_Ints_Enabled callback",
                 "runs Call_When_VM_Ints_Enabled callback (interrupts enabled)");
        break;
      }
      case WorkKind::when_not_critical: run_when_not_critical(t); break;
    }
    if (until != nullptr && until->satisfied) return;
  }
}

// run_when_not_critical: DDK "Call_When_Not_Critical": on a release only the most recently
// installed callback runs, and it is removed as it runs.
void EventQueues::run_when_not_critical(Thread* t) {
  when_not_critical_armed_ = false;
  if (when_not_critical_.empty()) return;
  PendingCall c = std::move(when_not_critical_.back());
  when_not_critical_.pop_back();
  run_call(std::move(c), t, "a Call_When_Not_Critical callback",
           "runs Call_When_Not_Critical callback (critical section released)");
}

void EventQueues::on_crit_released(Thread* releaser, AtRelease at) {
  last_crit_release_us_ = k_.now_us();
  if (when_not_critical_.empty()) return;
  when_not_critical_armed_ = true;
  if (at == AtRelease::run_if_possible && !k_.at_interrupt_time() && releaser == k_.current() &&
      Scheduler::priority(releaser) < Critical_Section_Boost && releaser->ring0_depth == 0)
    run_when_not_critical(releaser);
}

void EventQueues::run_call(PendingCall call, Thread* t, const char* what, const char* log) {
  k_.emit("event_run", log);
  k_.count_callback(what);
  ++t->callback_depth;
  k_.invoke(call.callback, EventContext{t->vm, t, call.refdata, false, 0});
  --t->callback_depth;
  if (k_.annotating()) k_.annotate("event_done", fmt::format("{} returned", what), {});
}

// run_event: model.md section 3 "Boosts": a global event's boost goes onto the thread just before
// its callback; a VM event's boost moves from the VM to the thread unless PEF_Dont_Unboost; after
// the callback it is removed unless PEF_Dont_Unboost. A timed-out event lost its boost already.
void EventQueues::run_event(Event* ev, Thread* t) {
  unlink(ev);
  ev->running = true;
  if (!ev->timed_out && ev->boost != 0) {
    if (ev->kind == EventTargetKind::global) {
      if (Scheduler::priority(t) + ev->boost >= Priority_Limit) {  // model.md section 3: below 2^31
        k_.fail_run(fmt::format("{}: boost 0x{:X} of {} would take {}'s priority 0x{:X} to 2^31 or above when "
                                "its callback runs", service_name(ev->service), ev->boost, describe(*ev), t->name,
                                Scheduler::priority(t)));
        throw ThreadKilled{};
      }
      move_boost(ev, BoostSite::thread, t);
    } else if (ev->kind == EventTargetKind::vm && !(ev->flags & PEF_Dont_Unboost)) {
      move_boost(ev, BoostSite::thread, t);
    }
  }
  bool carry = ev->timed_out && ev->service != EventService::timeout;
  EventContext ctx{t->vm, t, ev->refdata, carry, ev->immediate ? 0 : ev->handle};
  if (k_.logging()) log_run_event(*ev, carry);
  bool ring0 = (ev->flags & PEF_Ring0_Event) != 0;
  k_.count_callback(nullptr, ev);
  if (ring0) ++t->ring0_depth;
  ++t->callback_depth;
  k_.invoke(ev->callback, ctx);
  --t->callback_depth;
  if (ring0) --t->ring0_depth;
  if (k_.annotating())
    k_.annotate("event_done", fmt::format("callback of #{} returned", ev->seq),
                {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev->seq)}});
  finish(ev);
}

void EventQueues::log_run_event(const Event& ev, bool carry) {
  const char* what = ev.service == EventService::timeout ? "time-out" : "event";
  std::vector<LogField> fields = log_fields(ev);
  fields.push_back({"timed_out", LogField::Type::boolean, {}, 0, 0, carry});
  k_.emit(carry ? "event_run_timed_out" : "event_run",
          fmt::format("runs {} callback: {}{}", what,
                      ev.service == EventService::timeout ? fmt::format("{} #{}", time_out_service(ev.clock), ev.seq)
                                                          : describe(ev),
                      carry ? " (timed out: carry set)" : ""),
          std::move(fields));
}

// finish: the callback has returned; the boost leaves unless PEF_Dont_Unboost, the handle goes stale.
void EventQueues::finish(Event* ev) {
  if (!(ev->flags & PEF_Dont_Unboost)) {
    move_boost(ev, BoostSite::none, nullptr);
  } else if (ev->boost_site != BoostSite::none) {  // it stays: the thread's or the VM's from now on
    k_.scheduler().keep_boost(ev->boost_site == BoostSite::thread ? ev->boost_thread : nullptr,
                              ev->boost_site == BoostSite::vm ? ev->vm : nullptr, ev->boost);
    ev->boost_site = BoostSite::none;
    ev->boost_thread = nullptr;
  }
  table_.release(ev);
}

}  // namespace vmmsim::detail
