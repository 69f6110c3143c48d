// semaphores.cpp: Create_Semaphore / Wait_Semaphore / Signal_Semaphore (DDK "Create_Semaphore",
// "Wait_Semaphore", "Signal_Semaphore"; model.md section 5).
#include "sync/semaphores.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kWaitSemaphoreFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                      Block_Thread_Idle | Block_Force_Svc_Ints;
}

SEMHANDLE Semaphores::create(std::int64_t count) {
  const char* service = "Create_Semaphore";
  k_.check_setup_or_running(service);  // issue #10: a VxD creates them at Device_Init
  if (count < 0) throw ServiceError(fmt::format("{}: initial count {} is negative", service, count));
  all_.push_back(std::make_unique<Semaphore>());
  all_.back()->count = count;
  SEMHANDLE h = all_.size();
  if (k_.running()) k_.emit("semaphore", fmt::format("Create_Semaphore #{} with {} tokens", h, count));
  return h;
}

Semaphore* Semaphores::find(const char* service, SEMHANDLE h) {
  if (h == 0 || h > all_.size()) throw ServiceError(fmt::format("{}: unknown semaphore handle {}", service, h));
  return all_[h - 1].get();
}

// DDK Wait_Semaphore: "If tokens <= 0 block, else decrement and return."
void Semaphores::wait(SEMHANDLE sem, Flags flags) {
  const char* service = "Wait_Semaphore";
  k_.check_may_block(service);
  if (flags & Block_Poll)
    throw ServiceError(fmt::format("{}: Block_Poll is not modelled by vmmsim (no rule in model.md)", service));
  check_block_flags(service, flags, kWaitSemaphoreFlags);
  Semaphore* s = find(service, sem);
  if (s->count > 0) {
    --s->count;
    s->takers.push_back(k_.current());
    return;
  }
  Wait w;
  w.kind = WaitKind::semaphore;
  w.object = sem;
  w.flags = flags;
  s->waiters.push_back(w);
  k_.emit("block", fmt::format("Wait_Semaphore #{} {}", sem, flags ? block_names(flags) : "(no flags)"));
  BlockResult why = k_.waits().block(w);
  // Only Signal_Semaphore ends this wait (spurious wake-ups are for block IDs): the token is the waiter's.
  VMMSIM_ASSERT(why == BlockResult::signalled, "Wait_Semaphore #{} ended without a token", sem);
  s->takers.push_back(k_.current());
  k_.emit("wake", fmt::format("woken from Wait_Semaphore #{}", sem));
}

// DDK Signal_Semaphore: "Releases one waiter, highest priority first (not FIFO)"; FIFO among equals.
void Semaphores::signal(SEMHANDLE sem) {
  const char* service = "Signal_Semaphore";
  k_.check_running(service);
  Semaphore* s = find(service, sem);
  for (auto it = s->takers.begin(); it != s->takers.end(); ++it)
    if (*it == k_.current()) {  // the signaller gives its token back
      s->takers.erase(it);
      break;
    }
  if (Wait* w = Waits::best_waiter(s->waiters)) {
    k_.emit("wake_signal", fmt::format("Signal_Semaphore #{} wakes {}", sem, w->thread->name),
         {{"target", LogField::Type::string, w->thread->name}});
    k_.waits().wake(*w, BlockResult::signalled);
  } else {
    ++s->count;
  }
}

void Semaphores::write_state(StateHasher& h) const {
  for (const auto& sem : all_) {
    h.tag(19);
    h.i64(sem->count);
    for (const Thread* t : sem->takers) h.u64(t->id);
    h.tag(5);
    for (const Wait& w : sem->waiters) h.u64(w.thread->id);
    h.tag(6);
  }
}

void Semaphores::teardown() {
  for (auto& s : all_) s->waiters.clear();
}

}  // namespace vmmsim::detail
