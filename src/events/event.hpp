// event.hpp: a queued event (model.md section 3): callback, reference data, boost, flags, optional
// time-out, and a target: global, a VM or a thread. Time-outs (Set_*_Time_Out) are events too: they
// share the handle table, the timed-out queue and the callback path.
#pragma once

#include <boost/intrusive/list.hpp>

#include <cstdint>

#include "clock/timer.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

// Which service created an event: cancelling it through another Cancel_* service is an error
// (DDK "Cancel_VM_Event": "using it on priority, thread or restricted events is an error").
enum class EventService : std::uint8_t { restricted, priority, global, vm, thread, timeout };

enum class EventTargetKind : std::uint8_t { global, vm, thread };

// Where an event's boost sits while it is pending or running (model.md section 3).
enum class BoostSite : std::uint8_t { none, vm, thread };

// Which clock a time-out counts (DDK "Set_Global_Time_Out", "Set_VM_Time_Out",
// "Set_Thread_Time_Out", "Set_Async_Time_Out"); events with PEF_Time_Out count the global one.
enum class TimeoutClock : std::uint8_t { global, vm, thread, async };

// EventFields: an event's plain data. A slot reused for a new event gets them back by one assignment
// of the defaults (event_table.cpp), without destroying and rebuilding the callback and the hooks.
struct EventFields {
  EVENTHANDLE handle = 0;
  EventService service = EventService::restricted;
  EventTargetKind kind = EventTargetKind::global;
  VM* vm = nullptr;          // VM events: the target; thread events: the target's VM
  Thread* thread = nullptr;  // thread events: the target
  Flags flags = 0;
  Priority boost = 0;
  BoostSite boost_site = BoostSite::none;
  Thread* boost_thread = nullptr;  // the thread holding the boost when boost_site is thread
  RefData refdata = 0;
  std::int64_t queued_at_us = 0;
  std::int64_t deadline_us = -1;  // PEF_Time_Out: when it times out (-1: no time-out)
  std::uint64_t seq = 0;          // creation order
  TimeoutClock clock = TimeoutClock::global;  // time-outs (service timeout): which time counts
  std::int64_t remaining_us = 0;  // VM and thread time-outs: execution time left while not counting
  bool timed_out = false;  // its time-out expired: the callback runs with the carry flag set
  bool running = false;    // its callback is executing (it can no longer be cancelled)
  bool warned_never_runnable = false;  // the never-satisfiable warning was given
  bool immediate = false;  // run at once by a Call_* service: the caller got handle 0
};

struct Event : EventFields {
  EventCallback callback;  // empty while the slot is free (EventTable::release)
  detail::Timer timer;     // its deadline in the timer queue while armed (armed sets every field)
  // In its target's queue, the timed-out queue, or (VM and thread time-outs) its VM's or thread's
  // list of time-outs counting execution time.
  boost::intrusive::list_member_hook<> hook;
  // The slot's own: kept while the slot is reused (event_table.hpp).
  std::uint32_t slot = 0;
  std::uint32_t generation = 1;
};

using EventList = boost::intrusive::list<
    Event, boost::intrusive::member_hook<Event, boost::intrusive::list_member_hook<>, &Event::hook>>;

}  // namespace vmmsim
