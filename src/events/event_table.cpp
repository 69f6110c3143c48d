// event_table.cpp: event storage. Handles carry a generation, so a handle whose event already ran
// or was cancelled is recognised as stale (model.md section 3, "Cancel").
#include <memory>
#include <new>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// Handle layout: low 32 bits = slot + 1 (so 0 is never a handle), high 32 bits = generation.
Event* Kernel::alloc_event() {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(event_slots_.size());
    event_slots_.emplace_back();
    slot_gen_.push_back(1);
  }
  Event* ev = &event_slots_[slot];
  // A fresh Event in place. Not `*ev = Event{}`: value-initialising the temporary zeroes all of it
  // (a rep stos that perf showed stalling) before its member initialisers run, and then it is moved
  // in; default-initialisation runs only the member initialisers, which cover every field.
  std::destroy_at(ev);
  ::new (static_cast<void*>(ev)) Event;
  ev->handle = (static_cast<std::uint64_t>(slot_gen_[slot]) << 32) | (slot + 1);
  ev->seq = ++event_seq_;
  ev->queued_at_us = now_us_;
  return ev;
}

void Kernel::free_event(Event* ev) {
  std::uint32_t slot = static_cast<std::uint32_t>((ev->handle & 0xFFFFFFFFu) - 1);
  ev->callback = nullptr;  // releases what the callback holds (e.g. a Lua reference)
  ++slot_gen_[slot];
  ev->handle = 0;
  free_slots_.push_back(slot);
}

Event* Kernel::lookup_event(EVENTHANDLE handle) const {
  std::uint64_t low = handle & 0xFFFFFFFFu;
  if (low == 0 || low > event_slots_.size()) return nullptr;
  std::uint32_t slot = static_cast<std::uint32_t>(low - 1);
  if (slot_gen_[slot] != (handle >> 32)) return nullptr;
  const Event* ev = &event_slots_[slot];
  if (ev->handle != handle) return nullptr;
  return const_cast<Event*>(ev);
}

}  // namespace vmmsim::detail
