// state_store.cpp: StateStore (state_store.hpp).
#include "explorer/state_store.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace vmmsim::explorer {

namespace {

constexpr std::uint64_t kFirstSlots = std::uint64_t{1} << 14;  // 256 KiB: small searches stay small
constexpr std::uint64_t kMostStates = std::uint64_t{1} << 36;

// slots_for: the smallest power of two that holds n states at most 3/4 full.
std::uint64_t slots_for(std::uint64_t n) {
  std::uint64_t slots = kFirstSlots;
  while (slots / 4 * 3 < n) slots *= 2;
  return slots;
}

std::uint64_t checked(std::uint64_t max_states) {
  if (max_states == 0 || max_states > kMostStates)
    throw std::invalid_argument(fmt::format("explore: --max-states must be from 1 to {}, got {}", kMostStates,
                                            max_states));
  return max_states;
}

bool empty(const Fingerprint& f) { return f.low == 0 && f.high == 0; }

}  // namespace

StateStore::StateStore(std::uint64_t max_states)
    : max_states_(checked(max_states)), max_slots_(slots_for(max_states)),
      memory_(64 + max_slots_ * sizeof(Fingerprint)), header_(new (memory_.data()) Header) {
  header_->slots = std::min(kFirstSlots, max_slots_);
}

Fingerprint* StateStore::table() const {
  return reinterpret_cast<Fingerprint*>(static_cast<char*>(memory_.data()) + 64);
}

StateStore::Insert StateStore::insert(const Fingerprint& state) {
  if (empty(state)) {
    if (header_->zero_stored) return Insert::seen;
    if (header_->size >= max_states_) return Insert::full;
    header_->zero_stored = true;
    ++header_->size;
    return Insert::added;
  }
  Fingerprint* t = table();
  std::uint64_t mask = header_->slots - 1;
  for (std::uint64_t i = state.low & mask;; i = (i + 1) & mask) {
    if (t[i] == state) return Insert::seen;
    if (!empty(t[i])) continue;
    if (header_->size >= max_states_) return Insert::full;
    if ((header_->size + 1) > header_->slots / 4 * 3) {
      grow();
      return insert(state);
    }
    t[i] = state;
    ++header_->size;
    return Insert::added;
  }
}

bool StateStore::contains(const Fingerprint& state) const {
  if (empty(state)) return header_->zero_stored;
  const Fingerprint* t = table();
  std::uint64_t mask = header_->slots - 1;
  for (std::uint64_t i = state.low & mask; !empty(t[i]); i = (i + 1) & mask)
    if (t[i] == state) return true;
  return false;
}

// grow: doubles the table where it is: the states are copied out, the old slots cleared, and each
// put back at its place in the larger table (the memory above the old table is still zero).
void StateStore::grow() {
  Fingerprint* t = table();
  std::vector<Fingerprint> kept;
  kept.reserve(header_->size);
  for (std::uint64_t i = 0; i < header_->slots; ++i)
    if (!empty(t[i])) kept.push_back(t[i]);
  std::memset(static_cast<void*>(t), 0, header_->slots * sizeof(Fingerprint));
  header_->slots *= 2;
  std::uint64_t mask = header_->slots - 1;
  for (const Fingerprint& f : kept) {
    std::uint64_t i = f.low & mask;
    while (!empty(t[i])) i = (i + 1) & mask;
    t[i] = f;
  }
}

}  // namespace vmmsim::explorer
