// described_state.hpp: the UserState of the fingerprint tests. C++ callbacks cannot be described,
// so it writes a constant for each, and a thread's part of the scenario is its creation index:
// every difference between two fingerprints is then in the simulator's own state.
#pragma once

#include "core/binding.hpp"

namespace vmmsim::test {

struct Described : UserState {
  bool begin(StateHasher&) override { return true; }
  bool body(const Body&, StateHasher& h) override { return h.u64(1), true; }
  bool thread(THREADHANDLE t, StateHasher& h) override { return h.u64(thread_index(t)), true; }
  bool callback(const EventCallback&, StateHasher& h) override { return h.u64(2), true; }
  bool handler(const InterruptHandler&, StateHasher& h) override { return h.u64(3), true; }
  bool block_id(BlockId id, StateHasher& h) override { return h.u64(id), true; }
  bool end(StateHasher&) override { return true; }
};

}  // namespace vmmsim::test
