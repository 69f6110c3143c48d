// timer_queue.hpp: everything due at a virtual time: interrupts (one-shot and periodic), event
// time-outs and global time-outs. Ordered by (due, creation order): items due at the same instant
// fire one at a time in the order they were created (model.md section 6).
#pragma once

#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

namespace vmmsim::detail {

enum class TimerKind : std::uint8_t { interrupt, event_timeout, global_timeout };

struct TimerItem {
  std::int64_t due_us = 0;
  std::uint64_t seq = 0;    // creation order of the source (one counter for every kind)
  TimerKind kind = TimerKind::interrupt;
  std::uint64_t ref = 0;    // interrupt source index, or event handle
  bool operator>(const TimerItem& o) const {
    return due_us != o.due_us ? due_us > o.due_us : seq > o.seq;
  }
};

class TimerQueue {
 public:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

  void push(const TimerItem& item) { heap_.push(item); }
  bool empty() const { return heap_.empty(); }
  const TimerItem& top() const { return heap_.top(); }
  void pop() { heap_.pop(); }
  std::int64_t next_due() const { return heap_.empty() ? kNever : heap_.top().due_us; }
  std::size_t size() const { return heap_.size(); }

 private:
  std::priority_queue<TimerItem, std::vector<TimerItem>, std::greater<>> heap_;
};

}  // namespace vmmsim::detail
