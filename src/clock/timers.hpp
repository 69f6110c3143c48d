// timers.hpp: the virtual clock and everything due at a virtual time: interrupts (one-shot and
// periodic), event time-outs and the Set_*_Time_Out time-outs (model.md sections 3 and 6).
//
// Nothing else in vmmsim knows the time: it is an integer count of microseconds that advances only
// when the kernel says so (execution.cpp, run.cpp), which is what makes runs deterministic.
// Entries are ordered by (due, creation order), so items due at the same instant fire one at a time
// in the order they were created (model.md section 6), unless the explorer chooses another.
#pragma once

#include <boost/intrusive/set.hpp>

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "clock/timer.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {
class StateHasher;
class UserState;
}

namespace vmmsim::detail {

// InterruptSource: a vmm.at / vmm.every interrupt.
struct InterruptSource {
  InterruptHandler handler;
  std::int64_t period_us = 0;   // 0: one-shot
  std::int64_t remaining = -1;  // periodic firings left (-1: forever)
  std::int64_t nominal_us = 0;  // when the next firing is due before any jitter
  Timer timer;
};

class Timers {
 public:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

  Timers() = default;
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // The clock.
  std::int64_t now_us() const { return now_us_; }
  // advance_to: the clock moves forward to t_us (never back).
  void advance_to(std::int64_t t_us) {
    if (t_us > now_us_) now_us_ = t_us;
  }

  // arm: t enters the queue, due at due_us; seq orders it among items due at the same instant.
  void arm(Timer& t, std::int64_t due_us, std::uint64_t seq);
  void disarm(Timer& t);
  std::uint64_t next_seq() { return ++seq_; }

  // next_due: when the first armed item is due (kNever if none).
  std::int64_t next_due() const { return queue_.empty() ? kNever : queue_.begin()->due_us; }
  // due_now: the armed items due at the first due instant if that is not after now, in firing
  // order; empty if nothing is due.
  void due_now(std::vector<Timer*>& out);
  // one_shots_armed: armed items that will fire once (not periodic interrupts): model.md section 6's
  // "nothing pending in time".
  std::size_t one_shots_armed() const { return one_shots_; }

  // Interrupt sources (vmm.at, vmm.every).
  InterruptSource& add_source(InterruptHandler handler, std::int64_t period_us, std::int64_t count,
                              std::int64_t nominal_us);
  InterruptSource& source(std::uint64_t index) { return sources_[index]; }
  const std::deque<InterruptSource>& sources() const { return sources_; }

  // write_state: the clock, the queue as the ordered set it is, the sources (their handlers through
  // user); false when user cannot describe a handler.
  bool write_state(StateHasher& h, UserState& user) const;

 private:
  struct Order {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due_us != b.due_us ? a.due_us < b.due_us : a.seq < b.seq;
    }
  };
  using Queue = boost::intrusive::multiset<
      Timer, boost::intrusive::member_hook<Timer, decltype(Timer::hook), &Timer::hook>,
      boost::intrusive::compare<Order>>;

  std::int64_t now_us_ = 0;
  Queue queue_;
  std::size_t one_shots_ = 0;  // armed entries with one_shot set (kept by arm and disarm only)
  std::uint64_t seq_ = 0;
  std::deque<InterruptSource> sources_;  // a deque: armed entries point into it
};

}  // namespace vmmsim::detail
