#include "events/event_table.hpp"

#include "util/assert.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

Event* EventTable::alloc(std::int64_t now_us) {
  Event* ev;
  if (!free_.empty()) {
    ev = free_.back();
    free_.pop_back();
    // The plain fields back to their defaults; the callback is empty, the hooks unlinked and the
    // timer disarmed since release (an armed timer has every field set by whoever arms it).
    static_cast<EventFields&>(*ev) = EventFields{};
  } else {
    ev = grow();
  }
  ev->handle = (static_cast<std::uint64_t>(ev->generation) << 32) | (ev->slot + 1);
  ev->seq = ++seq_;
  ev->queued_at_us = now_us;
  ++live_;
  return ev;
}

// grow: a new slot. Out of line: the common path reuses a slot and saves no registers for this one.
Event* EventTable::grow() {
  Event* ev = &slots_.emplace_back();
  ev->slot = static_cast<std::uint32_t>(by_slot_.size());
  by_slot_.push_back(ev);
  return ev;
}

void EventTable::release(Event* ev) {
  VMMSIM_VERIFY(ev->handle != 0 && !ev->timer.armed() && !ev->hook.is_linked(),
                "an event is released while still queued or armed (#{})", ev->seq);
  ev->callback = nullptr;  // releases what the callback holds (e.g. a Lua reference)
  ++ev->generation;
  ev->handle = 0;
  free_.push_back(ev);
  --live_;
}

Event* EventTable::lookup(EVENTHANDLE handle) const {
  std::uint64_t low = handle & 0xFFFFFFFFu;
  if (low == 0 || low > by_slot_.size()) return nullptr;
  Event* ev = by_slot_[low - 1];
  if (ev->handle != handle) return nullptr;  // stale: released (0) or reused (another generation)
  return ev;
}

void EventTable::write_state(StateHasher& h) const {
  h.tag(13);
  for (const Event* ev : free_) h.u64(ev->slot);
  h.tag(14);
  for (const Event* ev : by_slot_) h.u64(ev->generation);
  h.u64(seq_);
}

}  // namespace vmmsim::detail
