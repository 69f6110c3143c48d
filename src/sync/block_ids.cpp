// block_ids.cpp: _BlockOnID / _SignalID (seed 002, "_BlockOnID"), and the explorer's spurious
// wake-ups of threads blocked on an ID.
#include "sync/block_ids.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/kernel.hpp"
#include "core/ranks.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

namespace {
// The Block_* flags each blocking service accepts (DDK; model.md section 2 extends
// Block_Force_Svc_Ints to every blocking service).
constexpr Flags kBlockOnIdFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                  Block_Thread_Idle | Block_Force_Svc_Ints;
}

void refuse_block_flags(const char* service, Flags flags, Flags allowed) {
  if (flags & ~Block_Known_Mask)
    throw ServiceError(fmt::format("{}: unknown flag bits 0x{:X}", service, flags & ~Block_Known_Mask));
  throw ServiceError(fmt::format("{}: {} is not valid for this service", service, block_names(flags & ~allowed)));
}

// seed 002: "This service always blocks the current thread on the ID passed."
void BlockIds::block_on_id(BlockId id, Flags flags) {
  const char* service = "_BlockOnID";
  k_.check_may_block_entered(service);  // the boundary has checked the run (core/services.cpp)
  check_block_flags(service, flags, kBlockOnIdFlags);
  Thread* t = k_.current();
  BlockIdState& state = ids_[id];
  Wait w;
  w.kind = WaitKind::block_id;
  w.id = id;
  w.flags = flags;
  // model.md section 6: signalled, waking no one, after this thread's previous wake-up.
  if (state.unheard_step > t->last_wake_step()) {
    w.lost_wakeup = true;
    w.lost_signal_us = state.unheard_us;
  }
  state.waiters.push_back(w);
  if (k_.logging()) log_block(id, flags);
  BlockResult why = k_.waits().block(w);
  if (k_.logging()) k_.emit("wake", fmt::format("woken from _BlockOnID {}", name_of(id)));
  (void)why;  // a spurious wake-up returns like a signal: the driver must re-check (seed 002)
}

void BlockIds::log_block(BlockId id, Flags flags) {
  k_.emit("block", fmt::format("_BlockOnID {} {}", name_of(id), flags ? block_names(flags) : "(no flags)"),
          {{"id", LogField::Type::string, name_of(id)},
           {"flags", LogField::Type::integer, {}, static_cast<std::int64_t>(flags)}});
}

// seed 002: "When the ID is signaled with _SignalID all of the threads currently blocked on the ID
// will unblock." Nothing is remembered: a signal before the block is lost.
void BlockIds::signal_id(BlockId id) {
  // The boundary has checked the run (core/services.cpp).
  BlockIdState* known = ids_.find(id);
  std::size_t woken = 0;
  if (known != nullptr) {
    WaitQueue& q = known->waiters;
    while (!q.empty()) {
      Wait& w = q.front();
      if (k_.logging()) log_signal(id, w.thread);
      k_.waits().wake(w, BlockResult::signalled);
      ++woken;
    }
  }
  if (woken == 0) signal_unheard(id, known);
}

void BlockIds::log_signal(BlockId id, const Thread* woken) {
  k_.emit("wake_signal", fmt::format("_SignalID {} wakes {}", name_of(id), woken->name),
          {{"id", LogField::Type::string, name_of(id)}, {"target", LogField::Type::string, woken->name}});
}

// signal_unheard: model.md section 6: the signal woke no one; the lost wake-up diagnosis keeps when.
void BlockIds::signal_unheard(BlockId id, BlockIdState* known) {
  BlockIdState& state = known != nullptr ? *known : ids_[id];
  state.unheard_step = k_.waits().next_step();
  state.unheard_us = k_.now_us();
  if (k_.logging())
    k_.emit("signal", fmt::format("_SignalID {} wakes no one (no thread is blocked on it)", name_of(id)),
            {{"id", LogField::Type::string, name_of(id)}});
}

// wake_spuriously_if_chosen (offer_spurious_wakeup): with --spurious-wakeups, wherever the
// scheduler may switch (a processing point, a thread giving up the CPU), any thread blocked on an ID may wake without its ID being
// signalled. seed 002: "an unrelated piece of code may signal the ID ... and cause this one to be
// spuriously awakened". Option 0 wakes no one; option i wakes the i-th such thread in block order.
// A thread is woken spuriously at most once per virtual instant: a second wake-up at the same
// instant finds what the first found (its re-check loop blocks again) and would only make the
// space of schedules infinite.
void BlockIds::wake_spuriously_if_chosen() {
  if (!k_.exploring() || k_.ending()) return;
  std::vector<Thread*> sleepers;
  k_.scheduler().for_each_blocked([&](Thread& t) {
    const Wait* w = t.wait();
    if (w != nullptr && w->kind == WaitKind::block_id && !w->satisfied && t.spurious_at_us() != k_.now_us())
      sleepers.push_back(&t);
  });
  if (sleepers.empty()) return;
  std::vector<std::uint64_t> ids{0};
  for (const Thread* t : sleepers) ids.push_back(t->id);
  std::size_t pick = k_.choose(ChoiceKind::spurious_wakeup, ids.size(), ids);
  if (pick == 0) return;
  Thread* sleeper = sleepers[pick - 1];
  Wait& w = *const_cast<Wait*>(sleeper->wait());
  k_.waits().mark_spurious(sleeper);
  if (k_.logging())
    k_.emit("wake_spurious",
            fmt::format("spurious wake-up of {} from _BlockOnID {} (no _SignalID)", sleeper->name, name_of(w.id)),
            {{"id", LogField::Type::string, name_of(w.id)}, {"target", LogField::Type::string, sleeper->name}});
  k_.waits().wake(w, BlockResult::spurious);
}

std::string BlockIds::name_of(BlockId id) const {
  auto it = names_.find(id);
  if (it != names_.end()) return fmt::format("'{}'", it->second);
  return fmt::format("0x{:X}", id);
}

void BlockIds::add_ranks(Ranks& steps) {
  ids_.for_each([&](BlockIdState& s) { steps.add(s.unheard_step); });
}

// write_state: the IDs in use, sorted by how the scenario names them (not by first use).
// By identity (fingerprint.cpp) an ID's unheard signal is left out: all the model does with it is
// mark a later block on the ID as a lost wake-up (block_on_id), and that mark is read only to
// explain a stuck run in its diagnosis (diag/diagnosis.cpp), never to decide an outcome. So the
// wake-up steps and the unheard signals' steps and times do not enter, and an ID enters only while
// threads wait on it.
bool BlockIds::write_state(StateHasher& h, UserState& user, const Ranks& steps, bool by_identity) {
  h.tag(18);
  std::vector<std::pair<Fingerprint, const BlockIdState*>> used;
  bool ok = true;
  ids_.for_each_with_id([&](BlockId id, BlockIdState& s) {
    if (!ok || (s.waiters.empty() && (s.unheard_step == 0 || by_identity))) return;
    StateHasher name;
    if (!user.block_id(id, name)) {
      ok = false;
      return;
    }
    used.push_back({name.digest(), &s});
  });
  if (!ok) return false;
  std::sort(used.begin(), used.end(), [](const auto& a, const auto& b) {
    return a.first.high != b.first.high ? a.first.high < b.first.high : a.first.low < b.first.low;
  });
  for (const auto& [name, s] : used) {
    h.u64(name.low);
    h.u64(name.high);
    if (!by_identity) {
      h.u64(steps.of(s->unheard_step));
      h.i64(s->unheard_us);
    }
    h.tag(5);
    for (const Wait& w : s->waiters) h.u64(w.thread->id);
    h.tag(6);
  }
  return true;
}

void BlockIds::teardown() {
  ids_.for_each([](BlockIdState& state) { state.waiters.clear(); });
}

}  // namespace vmmsim::detail
