// semaphore.cpp: Create_Semaphore / Wait_Semaphore / Signal_Semaphore (DDK, model.md section 5).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kWaitSemaphoreFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                      Block_Thread_Idle | Block_Force_Svc_Ints;
}

SEMHANDLE Kernel::create_semaphore(std::int64_t count) {
  const char* service = "Create_Semaphore";
  check_running(service);
  if (count < 0) throw ServiceError(fmt::format("{}: initial count {} is negative", service, count));
  semaphores_.push_back(std::make_unique<Semaphore>());
  semaphores_.back()->count = count;
  SEMHANDLE h = semaphores_.size();
  emit("semaphore", fmt::format("Create_Semaphore #{} with {} tokens", h, count));
  return h;
}

static Semaphore* find_semaphore(const char* service, std::vector<std::unique_ptr<Semaphore>>& all,
                                 SEMHANDLE h) {
  if (h == 0 || h > all.size()) throw ServiceError(fmt::format("{}: unknown semaphore handle {}", service, h));
  return all[h - 1].get();
}

// DDK Wait_Semaphore: "If tokens <= 0 block, else decrement and return."
void Kernel::wait_semaphore(SEMHANDLE sem, Flags flags) {
  const char* service = "Wait_Semaphore";
  check_may_block(service);
  if (flags & Block_Poll)
    throw ServiceError(fmt::format("{}: Block_Poll is not modelled by vmmsim (no rule in model.md)", service));
  check_block_flags(service, flags, kWaitSemaphoreFlags);
  Semaphore* s = find_semaphore(service, semaphores_, sem);
  if (s->count > 0) {
    --s->count;
    return;
  }
  Wait w;
  w.kind = WaitKind::semaphore;
  w.sem = sem;
  w.flags = flags;
  s->waiters.push_back(w);
  emit("block", fmt::format("Wait_Semaphore #{} {}", sem, flags ? block_names(flags) : "(no flags)"));
  block_current(w);
  emit("wake", fmt::format("woken from Wait_Semaphore #{}", sem));
}

// DDK Signal_Semaphore: "Releases one waiter, highest priority first (not FIFO)"; FIFO among equals.
void Kernel::signal_semaphore(SEMHANDLE sem) {
  const char* service = "Signal_Semaphore";
  check_running(service);
  Semaphore* s = find_semaphore(service, semaphores_, sem);
  if (Wait* w = best_waiter(s->waiters)) {
    emit("wake_signal", fmt::format("Signal_Semaphore #{} wakes {}", sem, w->thread->name),
         {{"target", LogField::Type::string, w->thread->name}});
    wake(*w);
  } else {
    ++s->count;
  }
}

}  // namespace vmmsim::detail
