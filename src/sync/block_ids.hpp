// block_ids.hpp: _BlockOnID / _SignalID (seed 002, "_BlockOnID"): the IDs a run has used, who waits
// on each, and what the lost wake-up diagnosis needs (the last signal that woke no one).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "sync/block_id_table.hpp"
#include "sync/wait.hpp"

namespace vmmsim {
class StateHasher;
class UserState;
}  // namespace vmmsim

namespace vmmsim::detail {

class Kernel;
class Ranks;

struct BlockIdState {
  WaitQueue waiters;
  std::uint64_t unheard_step = 0;  // step of the latest signal that woke no one
  std::int64_t unheard_us = -1;
};

class BlockIds {
 public:
  explicit BlockIds(Kernel& k) : k_(k) {}

  void block_on_id(BlockId id, Flags flags);  // _BlockOnID
  void signal_id(BlockId id);                 // _SignalID
  // offer_spurious_wakeup: with --spurious-wakeups, wherever the scheduler may switch, any thread
  // blocked on an ID may wake without a signal. On the scheduler's hot path: the option test is inline.
  void offer_spurious_wakeup(bool enabled) {
    if (enabled) wake_spuriously_if_chosen();
  }

  void name(BlockId id, std::string name) { names_[id] = std::move(name); }
  std::string name_of(BlockId id) const;  // 'name' or 0xHEX
  void add_ranks(Ranks& steps);
  // write_state: by_identity (fingerprint.cpp) leaves unheard signals out (block_ids.cpp says why).
  bool write_state(StateHasher& h, UserState& user, const Ranks& steps, bool by_identity = false);
  void teardown();

 private:
  void wake_spuriously_if_chosen();
  // Out of line and cold, off the block and signal paths: the log records, a signal heard by no one.
  [[gnu::cold]] void log_block(BlockId id, Flags flags);
  [[gnu::cold]] void log_signal(BlockId id, const Thread* woken);
  [[gnu::cold]] void signal_unheard(BlockId id, BlockIdState* known);

  Kernel& k_;
  BlockIdTable<BlockIdState> ids_;
  std::unordered_map<BlockId, std::string> names_;
};

}  // namespace vmmsim::detail
