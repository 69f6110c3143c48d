#include "events/event_table.hpp"

#include <memory>
#include <new>

#include "util/assert.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

Event* EventTable::alloc(std::int64_t now_us) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    gen_.push_back(1);
  }
  Event* ev = &slots_[slot];
  // A fresh Event in place. Not `*ev = Event{}`: value-initialising the temporary zeroes all of it
  // (a rep stos that perf showed stalling) before its member initialisers run, and then it is moved
  // in; default-initialisation runs only the member initialisers, which cover every field.
  std::destroy_at(ev);
  ::new (static_cast<void*>(ev)) Event;
  ev->handle = (static_cast<std::uint64_t>(gen_[slot]) << 32) | (slot + 1);
  ev->seq = ++seq_;
  ev->queued_at_us = now_us;
  ++live_;
  return ev;
}

void EventTable::release(Event* ev) {
  VMMSIM_VERIFY(ev->handle != 0 && !ev->timer.armed() && !ev->hook.is_linked(),
                "an event is released while still queued or armed (#{})", ev->seq);
  std::uint32_t slot = static_cast<std::uint32_t>((ev->handle & 0xFFFFFFFFu) - 1);
  ev->callback = nullptr;  // releases what the callback holds (e.g. a Lua reference)
  ++gen_[slot];
  ev->handle = 0;
  free_.push_back(slot);
  --live_;
}

Event* EventTable::lookup(EVENTHANDLE handle) const {
  std::uint64_t low = handle & 0xFFFFFFFFu;
  if (low == 0 || low > slots_.size()) return nullptr;
  std::uint32_t slot = static_cast<std::uint32_t>(low - 1);
  if (gen_[slot] != (handle >> 32)) return nullptr;
  const Event* ev = &slots_[slot];
  if (ev->handle != handle) return nullptr;
  return const_cast<Event*>(ev);
}

void EventTable::write_state(StateHasher& h) const {
  h.tag(13);
  for (std::uint32_t slot : free_) h.u64(slot);
  h.tag(14);
  for (std::uint32_t gen : gen_) h.u64(gen);
  h.u64(seq_);
}

}  // namespace vmmsim::detail
