// livelock.hpp: zero-time livelocks (model.md section 3): more than 100,000 callbacks, or 1,000,000
// processing points, at one virtual instant end the run starved; after 1,000 callbacks at one
// instant the log is muted until time advances, so a livelock's log stays readable.
#pragma once

#include <cstdint>

namespace vmmsim {
class StateHasher;
}

namespace vmmsim::detail {

class LivelockGuard {
 public:
  static constexpr std::int64_t kMaxCallbacksPerInstant = 100000;
  static constexpr std::int64_t kMaxPointsPerInstant = 1000000;
  static constexpr std::int64_t kMuteLogAfter = 1000;

  // at: the counters restart when the virtual instant changes.
  void at(std::int64_t now_us) {
    if (instant_us_ != now_us) {
      instant_us_ = now_us;
      callbacks_ = 0;
      points_ = 0;
      muted_ = false;
    }
  }
  // callback / point: count one; true when the limit is passed.
  bool callback() { return ++callbacks_ > kMaxCallbacksPerInstant; }
  bool point() { return ++points_ > kMaxPointsPerInstant; }
  // mute_now: the log should be muted from this callback on (true once per instant).
  bool mute_now() const { return callbacks_ == kMuteLogAfter && !muted_; }
  void mute() { muted_ = true; }
  bool muted() const { return muted_; }
  void write_state(StateHasher& h) const;

 private:
  std::int64_t instant_us_ = -1;
  std::int64_t callbacks_ = 0;
  std::int64_t points_ = 0;
  bool muted_ = false;
};

}  // namespace vmmsim::detail
