// semaphores.hpp: Create_Semaphore / Wait_Semaphore / Signal_Semaphore (DDK "Wait_Semaphore",
// "Signal_Semaphore"; model.md section 5).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sync/wait.hpp"

namespace vmmsim {
class StateHasher;
}

namespace vmmsim::detail {

class Kernel;

struct Semaphore {
  std::int64_t count = 0;
  WaitQueue waiters;
  // takers: threads that took a token and have not signalled since, the semaphore's known holders
  // when it is used as a lock (the deadlock-cycle diagnosis). One entry per token taken.
  std::vector<const Thread*> takers;
};

class Semaphores {
 public:
  explicit Semaphores(Kernel& k) : k_(k) {}

  SEMHANDLE create(std::int64_t count);        // Create_Semaphore
  void wait(SEMHANDLE sem, Flags flags);        // Wait_Semaphore
  void signal(SEMHANDLE sem);                   // Signal_Semaphore
  const Semaphore& get(SEMHANDLE sem) const { return *all_[sem - 1]; }
  void write_state(StateHasher& h) const;
  void teardown();

 private:
  Semaphore* find(const char* service, SEMHANDLE sem);

  Kernel& k_;
  std::vector<std::unique_ptr<Semaphore>> all_;
};

}  // namespace vmmsim::detail
