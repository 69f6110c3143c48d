// block_id.cpp: _BlockOnID / _SignalID (seed 002).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
// The Block_* flags each blocking service accepts (DDK; model.md section 2 extends
// Block_Force_Svc_Ints to every blocking service).
constexpr Flags kBlockOnIdFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                  Block_Thread_Idle | Block_Force_Svc_Ints;
}

void check_block_flags(const char* service, Flags flags, Flags allowed) {
  if (flags & ~Block_Known_Mask)
    throw ServiceError(fmt::format("{}: unknown flag bits 0x{:X}", service, flags & ~Block_Known_Mask));
  if (flags & ~allowed)
    throw ServiceError(fmt::format("{}: {} is not valid for this service", service, block_names(flags & ~allowed)));
}

// seed 002: "This service always blocks the current thread on the ID passed."
void Kernel::block_on_id(BlockId id, Flags flags) {
  const char* service = "_BlockOnID";
  check_may_block(service);
  check_block_flags(service, flags, kBlockOnIdFlags);
  Thread* t = current_;
  BlockIdState& state = ids_[id];
  Wait w;
  w.kind = WaitKind::block_id;
  w.id = id;
  w.flags = flags;
  // model.md section 6: signalled, waking no one, after this thread's previous wake-up.
  if (state.unheard_step > t->last_wake_step) {
    w.lost_wakeup = true;
    w.lost_signal_us = state.unheard_us;
  }
  state.waiters.push_back(w);
  if (logging())
    emit("block", fmt::format("_BlockOnID {} {}", block_id_name(id), flags ? block_names(flags) : "(no flags)"),
         {{"id", LogField::Type::string, block_id_name(id)},
          {"flags", LogField::Type::integer, {}, static_cast<std::int64_t>(flags)}});
  block_current(w);
  if (logging()) emit("wake", fmt::format("woken from _BlockOnID {}", block_id_name(id)));
}

// seed 002: "When the ID is signaled with _SignalID all of the threads currently blocked on the ID
// will unblock." Nothing is remembered: a signal before the block is lost.
void Kernel::signal_id(BlockId id) {
  const char* service = "_SignalID";
  check_running(service);
  BlockIdState* known = ids_.find(id);
  std::size_t woken = 0;
  if (known != nullptr) {
    WaitQueue& q = known->waiters;
    while (!q.empty()) {
      Wait& w = q.front();
      if (logging())
        emit("wake_signal", fmt::format("_SignalID {} wakes {}", block_id_name(id), w.thread->name),
             {{"id", LogField::Type::string, block_id_name(id)},
              {"target", LogField::Type::string, w.thread->name}});
      wake(w);
      ++woken;
    }
  }
  if (woken == 0) {
    BlockIdState& state = known != nullptr ? *known : ids_[id];
    state.unheard_step = ++step_;
    state.unheard_us = now_us_;
    if (logging())
      emit("signal", fmt::format("_SignalID {} wakes no one (no thread is blocked on it)", block_id_name(id)),
           {{"id", LogField::Type::string, block_id_name(id)}});
  }
}

// wake_spuriously_if_chosen (offer_spurious_wakeup): with --spurious-wakeups, wherever the scheduler may switch (a processing
// point, a thread giving up the CPU), any thread blocked on an ID may wake without its ID being
// signalled. seed 002: "an unrelated piece of code may signal the ID ... and cause this one to be
// spuriously awakened". Option 0 wakes no one; option i wakes the i-th such thread in block order.
// A thread is woken spuriously at most once per virtual instant: a second wake-up at the same
// instant finds what the first found (its re-check loop blocks again) and would only make the
// space of schedules infinite.
void Kernel::wake_spuriously_if_chosen() {
  if (!exploring() || ending_) return;
  std::vector<Thread*> sleepers;
  for (Thread& t : blocked_)
    if (t.wait != nullptr && t.wait->kind == WaitKind::block_id && !t.wait->satisfied && t.spurious_at_us != now_us_)
      sleepers.push_back(&t);
  if (sleepers.empty()) return;
  std::vector<std::uint64_t> ids{0};
  for (const Thread* t : sleepers) ids.push_back(t->id);
  std::size_t pick = choose(ChoiceKind::spurious_wakeup, ids.size(), ids);
  if (pick == 0) return;
  Wait& w = *sleepers[pick - 1]->wait;
  w.thread->spurious_at_us = now_us_;
  if (logging())
    emit("wake_spurious", fmt::format("spurious wake-up of {} from _BlockOnID {} (no _SignalID)", w.thread->name,
                                      block_id_name(w.id)),
         {{"id", LogField::Type::string, block_id_name(w.id)}, {"target", LogField::Type::string, w.thread->name}});
  wake(w);
}

}  // namespace vmmsim::detail
