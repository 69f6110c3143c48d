// event_table.hpp: where events live, found by handle. A handle carries a generation, so a handle
// whose event already ran or was cancelled is recognised as stale even after its slot is reused
// (model.md section 3, "Cancel"): low 32 bits = slot + 1 (so 0 is never a handle), high 32 bits =
// the slot's generation.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "events/event.hpp"

namespace vmmsim {
class StateHasher;
}

namespace vmmsim::detail {

class EventTable {
 public:
  // alloc: a fresh event with its handle, numbered seq and queued at now_us.
  Event* alloc(std::int64_t now_us);
  // release: the event is gone; its handle becomes stale.
  void release(Event* ev);
  // lookup: the live event of handle, or nullptr (never issued, or stale).
  Event* lookup(EVENTHANDLE handle) const;
  // live: events allocated and not released (pending, timed out, or running their callback).
  std::size_t live() const { return live_; }
  std::uint64_t created() const { return seq_; }
  // write_state: the allocator's state, which decides future handles.
  void write_state(StateHasher& h) const;
  template <class Fn>
  void for_each_live(Fn fn) {
    for (Event& ev : slots_)
      if (ev.handle != 0) fn(ev);
  }

 private:
  [[gnu::noinline]] Event* grow();

  std::deque<Event> slots_;    // a deque: events are linked into intrusive lists
  std::vector<Event*> by_slot_;  // slots_[i], found without the deque's index arithmetic
  std::vector<Event*> free_;     // released slots, the last released reused first
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;  // kept by alloc and release only: slots_.size() - free_.size(), one load away
};

}  // namespace vmmsim::detail
