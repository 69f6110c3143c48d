// event_queues.cpp: the events subsystem's queries (describe, pending_floor), its part of the state
// fingerprint, and teardown. The services are in event_services.cpp and time_outs.cpp, processing
// points in processing.cpp.
#include "events/event_queues.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"
#include "vmmsim/state_hash.hpp"

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

const char* cancel_service_name(EventService s) {
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

// ~EventQueues: Kernel::~Kernel has called teardown() while the threads and VMs still existed.
EventQueues::~EventQueues() = default;

// teardown: every list an event sits on is emptied, and armed timers leave the clock's queue, before
// the threads, VMs and the table are destroyed.
void EventQueues::teardown() {
  // Every live event is on exactly one list or running (VMMSIM_ASSERT: a walk over the table).
  if constexpr (kAssertions)
    table_.for_each_live([&](Event& ev) {
      VMMSIM_ASSERT(ev.hook.is_linked() || ev.running || (ev.service == EventService::timeout && ev.timer.armed()),
                    "event #{} is live but on no list", ev.seq);
    });
  global_.clear();
  timed_out_.clear();
  for (const auto& vm : k_.vms()) vm->events_.clear();
  for (const auto& t : k_.threads()) t->events_.clear();
  for (const auto& vm : k_.vms()) vm->exec_timeouts_.clear();
  for (const auto& t : k_.threads()) t->exec_timeouts_.clear();
  table_.for_each_live([&](Event& ev) { k_.timers().disarm(ev.timer); });
}

std::string EventQueues::describe(const Event& ev) const {
  std::string target;
  switch (ev.kind) {
    case EventTargetKind::global: target = "global event"; break;
    case EventTargetKind::vm: target = fmt::format("VM event for {}", ev.vm->name); break;
    case EventTargetKind::thread: target = fmt::format("thread event for {}", ev.thread->name); break;
  }
  std::string s = fmt::format("{} #{}", target, ev.seq);  // #N: the N-th event created in the run
  if (ev.boost != 0) s += fmt::format(" boost 0x{:X}", ev.boost);
  Flags shown = ev.flags & ~PEF_Thread_Event;
  if (shown != 0) s += " " + pef_names(shown);
  return s;
}

std::vector<LogField> EventQueues::log_fields(const Event& ev) const {
  EventTargetKind kind = ev.kind;
  if (ev.service == EventService::timeout)
    kind = ev.clock == TimeoutClock::thread ? EventTargetKind::thread
           : ev.clock == TimeoutClock::vm   ? EventTargetKind::vm
                                            : EventTargetKind::global;
  const char* kinds[] = {"global", "vm", "thread"};
  std::string target = kind == EventTargetKind::vm       ? ev.vm->name
                       : kind == EventTargetKind::thread ? ev.thread->name
                                                         : std::string();
  return {{"event", LogField::Type::integer, {}, static_cast<std::int64_t>(ev.seq)},
          {"handle", LogField::Type::integer, {}, static_cast<std::int64_t>(ev.handle)},
          {"target_kind", LogField::Type::string, kinds[static_cast<int>(kind)]},
          {"target_name", LogField::Type::string, std::move(target)},
          {"boost", LogField::Type::integer, {}, ev.boost},
          {"flags", LogField::Type::integer, {}, static_cast<std::int64_t>(ev.flags)}};
}

namespace {
// pending_boosts: the boosts that pending events hold on a list's target (they leave only when
// those events run, time out or are cancelled).
Priority pending_boosts(const EventList& list) {
  Priority sum = 0;
  for (const Event& ev : list)
    if (ev.boost_site != BoostSite::none) sum += ev.boost;
  return sum;
}
}  // namespace

// pending_floor: its base plus every boost pending on it, on the thread or on its VM. model.md
// section 3: a PEF_Wait_Not_Crit event "can never run once its target's priority, counting every
// boost pending on it, reaches Critical_Section_Boost". (For the System VM, whose threads differ,
// the lowest base, 0, is assumed.)
Priority EventQueues::pending_floor(const Event& ev) const {
  const Thread* t = ev.kind == EventTargetKind::thread                  ? ev.thread
                    : (ev.kind == EventTargetKind::vm && !ev.vm->system) ? ev.vm->thread
                                                                          : nullptr;
  if (t != nullptr) return t->base + pending_boosts(t->events_) + pending_boosts(t->vm->events_);
  return ev.kind == EventTargetKind::vm ? pending_boosts(ev.vm->events_) : 0;
}

const PriorityCeiling* EventQueues::never_satisfiable(const Event& ev) const {
  static constexpr PriorityCeiling kCeilings[] = {
      {PEF_Wait_Not_Crit, "PEF_Wait_Not_Crit", Critical_Section_Boost, "Critical_Section_Boost", "DDK \"Call_Restricted_Event\""},
      {PEF_Wait_Not_HW_Int, "PEF_Wait_Not_HW_Int", Time_Critical_Boost, "Time_Critical_Boost", "DDK \"Call_Priority_VM_Event\""},
  };
  if (ev.kind == EventTargetKind::global) return nullptr;
  for (const PriorityCeiling& c : kCeilings)
    if ((ev.flags & c.flag) && pending_floor(ev) >= c.limit) return &c;
  return nullptr;
}

namespace {
std::uint64_t thread_ref(const Thread* t) { return t == nullptr ? ~0ULL : t->id; }

bool write_event(StateHasher& h, UserState& user, const Event& ev) {
  h.tag(2);
  h.u64(ev.handle);
  h.u64(static_cast<std::uint64_t>(ev.service) | static_cast<std::uint64_t>(ev.kind) << 8 |
        static_cast<std::uint64_t>(ev.boost_site) << 16 | static_cast<std::uint64_t>(ev.clock) << 24);
  h.u64(ev.vm != nullptr ? ev.vm->id : ~0ULL);
  h.u64(thread_ref(ev.thread));
  h.u64(thread_ref(ev.boost_thread));
  h.u64(ev.flags);
  h.i64(ev.boost);
  h.u64(ev.refdata);
  h.i64(ev.queued_at_us);
  h.i64(ev.deadline_us);
  h.i64(ev.remaining_us);
  h.u64(ev.seq);
  h.u64((ev.timed_out ? 1u : 0u) | (ev.running ? 2u : 0u) | (ev.warned_never_runnable ? 4u : 0u) |
        (ev.immediate ? 8u : 0u));
  return user.callback(ev.callback, h);
}
}  // namespace

bool EventQueues::write_events(StateHasher& h, UserState& user, const EventList& list) {
  h.tag(3);
  for (const Event& ev : list)
    if (!write_event(h, user, ev)) return false;
  h.tag(4);
  return true;
}

bool EventQueues::write_state(StateHasher& h, UserState& user) const {
  // VM and thread queues are written with their VM or thread (core/fingerprint.cpp).
  if (!write_events(h, user, global_) || !write_events(h, user, timed_out_)) return false;
  table_.write_state(h);
  if (!when_idle_.empty()) return false;  // an IdleCallback cannot be described (UserState knows events')
  h.u64(when_not_critical_armed_ ? 1u : 0u);
  h.i64(last_crit_release_us_);
  for (const auto* calls : {&when_not_critical_, &when_ints_enabled_}) {
    h.tag(15);
    for (const PendingCall& call : *calls) {
      h.u64(call.refdata);
      h.u64(call.vm != nullptr ? call.vm->id : ~0ULL);
      h.i64(call.installed_us);
      if (!user.callback(call.callback, h)) return false;
    }
  }
  return true;
}

}  // namespace vmmsim::detail
