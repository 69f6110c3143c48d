// vmmsim/state_hash.hpp: fingerprints of a run's whole state, for the explorer's state matching
// (model.md section 7, "Pruning"). Two runs whose fingerprints are equal at a choice point go on
// identically from there, whatever the choices they made before: the explorer then runs only one.
//
// The simulator fingerprints what it owns (threads, VMs, events, timers, block IDs, the clock). The
// rest of the state is the scenario's: what its bodies, callbacks and handlers close over, and where
// each started thread is suspended in its own code. A language binding describes that through
// UserState; without one the simulator never fingerprints, so nothing is pruned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vmmsim/types.hpp"

namespace vmmsim {

// Fingerprint: 128 bits of XXH3. A collision between two different states would prune a schedule
// wrongly; at 2^-128 per pair it is far below any other risk of a run.
struct Fingerprint {
  std::uint64_t low = 0, high = 0;
  bool operator==(const Fingerprint&) const = default;
};

struct FingerprintHash {
  std::size_t operator()(const Fingerprint& f) const { return static_cast<std::size_t>(f.low ^ (f.high * 0x9E3779B97F4A7C15ULL)); }
};

// StateHasher: the stream a fingerprint is made of. Every item is written with its type and size,
// so that the stream of two different states can never be the same bytes. The items are gathered in
// a buffer and hashed in one go by digest() (one call into XXH3 instead of one per item: most items
// are eight bytes); reset() empties it and keeps its memory for the next fingerprint.
class StateHasher {
 public:
  void tag(std::uint8_t t) { buffer_.push_back(static_cast<char>(t)); }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void i64(std::int64_t v) { bytes(&v, sizeof v); }
  void f64(double v) { bytes(&v, sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void bytes(const void* data, std::size_t size) { buffer_.append(static_cast<const char*>(data), size); }
  Fingerprint digest() const;
  void reset() { buffer_.clear(); }

 private:
  std::string buffer_;
};

// UserState: the scenario's part of the state. Each function writes its part to h, or returns false
// when it cannot describe it exactly (then the state is not fingerprinted, and nothing is pruned at
// that choice point: refusing is always sound). The simulator calls begin, then the others in a
// fixed order, then end (always, once begin was called, even after a refusal); objects met twice
// in one fingerprint must be written as the same object.
class UserState {
 public:
  virtual ~UserState() = default;
  virtual bool begin(StateHasher& h) = 0;  // state reachable from no simulator object (globals)
  virtual bool body(const Body& body, StateHasher& h) = 0;                  // a thread not started
  virtual bool thread(THREADHANDLE thread, StateHasher& h) = 0;             // a started thread's stack
  virtual bool callback(const EventCallback& callback, StateHasher& h) = 0;  // an event's callback
  virtual bool handler(const InterruptHandler& handler, StateHasher& h) = 0;
  virtual bool block_id(BlockId id, StateHasher& h) = 0;  // an ID as the scenario names it
  virtual bool end(StateHasher& h) = 0;
};

}  // namespace vmmsim
