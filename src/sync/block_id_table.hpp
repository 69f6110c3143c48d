// block_id_table.hpp: the state of every block ID a run has used, found by its ID.
//
// _BlockOnID and _SignalID look their ID up on every call. std::unordered_map computes its bucket
// as hash % prime, a 64-bit division that perf measured at about a fifth of a _BlockOnID/_SignalID
// round trip. This table is open addressing with linear probing over a power-of-two array, indexed
// by a multiplicative (Fibonacci) hash: a multiply and a shift. The states themselves live in a
// deque, so their addresses never change as the table grows: the wait queues they hold are linked
// with Waits on blocked threads' fiber stacks. Entries are never removed (as with the map before).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "vmmsim/types.hpp"

namespace vmmsim::detail {

template <class State>
class BlockIdTable {
 public:
  // find: the state of id, or nullptr if id was never used.
  State* find(BlockId id) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(id);; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.state == nullptr) return nullptr;
      if (slot.id == id) return slot.state;
    }
  }

  // operator[]: the state of id, default-constructed on first use.
  State& operator[](BlockId id) {
    if (State* state = find(id)) return *state;
    return add(id);
  }

 private:
  // add: id's first use (out of line: every later use only finds it).
  [[gnu::noinline]] State& add(BlockId id) {
    if ((states_.size() + 1) * 4 > slots_.size() * 3) grow();  // keep the load at most 3/4
    State& state = states_.emplace_back();
    place(id, &state);
    return state;
  }

 public:
  // for_each: every state, in the order the IDs were first used.
  template <class Fn>
  void for_each(Fn fn) {
    for (State& state : states_) fn(state);
  }

  // for_each_with_id: every (id, state), in no particular order.
  template <class Fn>
  void for_each_with_id(Fn fn) {
    for (const Slot& slot : slots_)
      if (slot.state != nullptr) fn(slot.id, *slot.state);
  }

 private:
  struct Slot {
    BlockId id = 0;
    State* state = nullptr;  // nullptr: the slot is free
  };

  std::size_t mask() const { return slots_.size() - 1; }
  // home: the top bits of id times 2^64 / golden ratio: every bit of id reaches the index.
  std::size_t home(BlockId id) const { return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> shift_); }

  void place(BlockId id, State* state) {
    std::size_t i = home(id);
    while (slots_[i].state != nullptr) i = (i + 1) & mask();
    slots_[i] = {id, state};
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    shift_ = 64;
    for (std::size_t n = slots_.size(); n > 1; n >>= 1) --shift_;
    for (const Slot& slot : old)
      if (slot.state != nullptr) place(slot.id, slot.state);
  }

  std::vector<Slot> slots_;
  std::deque<State> states_;
  int shift_ = 64;
};

}  // namespace vmmsim::detail
