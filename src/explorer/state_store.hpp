// state_store.hpp: the visited states of `explore --prove`, shared by every process of the forking
// search (they run one at a time: a parent waits while its child searches, so no locking is
// needed); the rerunning search uses it in its one process. An
// open-addressing table of 128-bit fingerprints with linear probing, in memory reserved for
// max_states before the first fork; it starts small and doubles in place at 3/4 full, so what it
// costs follows the states stored (what pan's hash table costs), reported by bytes().
#pragma once

#include <cstdint>

#include "explorer/shared_mapping.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::explorer {

class StateStore {
 public:
  // max_states: the states it can hold; throws std::invalid_argument for 0 or more than 2^36.
  explicit StateStore(std::uint64_t max_states);

  enum class Insert { added, seen, full };
  // insert: added (first visit), seen (visited before), full (max_states stored: not added).
  Insert insert(const Fingerprint& state);
  bool contains(const Fingerprint& state) const;

  std::uint64_t size() const { return header_->size; }
  std::uint64_t slots() const { return header_->slots; }
  std::uint64_t max_states() const { return max_states_; }
  std::uint64_t bytes() const { return header_->slots * sizeof(Fingerprint); }  // the table in use

 private:
  struct Header {
    std::uint64_t size = 0;   // states stored
    std::uint64_t slots = 0;  // the table's size now (a power of two)
    bool zero_stored = false; // the all-zero fingerprint marks an empty slot, so it is kept here
  };
  void grow();
  Fingerprint* table() const;

  std::uint64_t max_states_;
  std::uint64_t max_slots_;
  SharedMapping memory_;
  Header* header_;
};

}  // namespace vmmsim::explorer
