// timer.hpp: one entry of the timer queue (clock/timers.hpp), embedded in what it times: an
// interrupt source or an event's time-out. Cancelling the thing unlinks its entry, so the queue
// never holds a dead entry and "what is due" is always exact. Only Timers links and unlinks it, so
// the queue can count what it holds.
#pragma once

#include <boost/intrusive/set_hook.hpp>

#include <cstdint>

namespace vmmsim::detail {

enum class TimerKind : std::uint8_t { interrupt, event_timeout, timeout };

struct Timer {
  std::int64_t due_us = 0;
  std::uint64_t seq = 0;  // creation order of the source (one counter for every kind)
  TimerKind kind = TimerKind::interrupt;
  std::uint64_t ref = 0;  // interrupt source index, or event handle
  bool one_shot = true;   // a periodic interrupt's entry is not (model.md section 6: it keeps no run alive)
  boost::intrusive::set_member_hook<boost::intrusive::link_mode<boost::intrusive::safe_link>> hook;
  bool armed() const { return hook.is_linked(); }
};

}  // namespace vmmsim::detail
