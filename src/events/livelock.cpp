#include "events/livelock.hpp"

#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

void LivelockGuard::write_state(StateHasher& h) const {
  h.i64(instant_us_);
  h.i64(callbacks_);
  h.i64(points_);
  h.u64(muted_ ? 1u : 0u);
}

}  // namespace vmmsim::detail
