// event.hpp: a queued event (model.md section 3): callback, reference data, boost, flags,
// optional time-out, and a target: global, a VM or a thread.
#pragma once

#include <boost/intrusive/list.hpp>

#include <cstdint>

#include "vmmsim/types.hpp"

namespace vmmsim {

// Which service created an event: cancelling it through another Cancel_* service is an error
// (DDK: "using it on priority, thread or restricted events is an error").
enum class EventService : std::uint8_t { restricted, priority, global, vm, thread, timeout };

enum class EventTargetKind : std::uint8_t { global, vm, thread };

// Where an event's boost sits while it is pending (model.md section 3).
enum class BoostSite : std::uint8_t { none, vm, thread };

struct Event {
  EVENTHANDLE handle = 0;
  EventService service = EventService::restricted;
  EventTargetKind kind = EventTargetKind::global;
  VM* vm = nullptr;          // VM events: the target; thread events: the target's VM
  Thread* thread = nullptr;  // thread events: the target
  Flags flags = 0;
  Priority boost = 0;
  BoostSite boost_site = BoostSite::none;
  RefData refdata = 0;
  EventCallback callback;
  std::int64_t queued_at_us = 0;
  std::int64_t deadline_us = -1;  // PEF_Time_Out: when it times out
  std::uint64_t seq = 0;          // creation order
  bool timed_out = false;  // its time-out expired: the callback runs with the carry flag set
  bool running = false;    // its callback is executing (it can no longer be cancelled)
  bool warned_never_runnable = false;  // the PEF_Wait_Not_Crit warning was given
  bool immediate = false;  // run at once by a Call_* service: the caller got handle 0
  boost::intrusive::list_member_hook<> hook;  // in its target's queue or the timed-out list
};

using EventList = boost::intrusive::list<
    Event, boost::intrusive::member_hook<Event, boost::intrusive::list_member_hook<>, &Event::hook>>;

}  // namespace vmmsim
