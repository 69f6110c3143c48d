// mutexes.hpp: _CreateMutex / _DestroyMutex / _EnterMutex / _LeaveMutex / _GetMutexOwner (DDK
// "_CreateMutex", "_EnterMutex", "_LeaveMutex"): recursive ownership, the owner boosted by the
// mutex's boost while it holds it, a waiter by half of it while it waits, and the highest-priority
// waiter (FIFO among equals) handed the mutex at the last leave. Waiters block on the one wait
// mechanism (sync/wait.hpp), with the same servicing rules as every other blocking service.
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

struct Mutex {
  Priority boost = 0;
  Flags flags = 0;
  Thread* owner = nullptr;
  int count = 0;          // recursive entries of the owner
  bool destroyed = false;
  WaitQueue waiters;
};

class Mutexes {
 public:
  explicit Mutexes(Kernel& k) : k_(k) {}

  MUTEXHANDLE create(Priority boost, Flags flags);  // _CreateMutex (set-up time too)
  void destroy(MUTEXHANDLE m);                      // _DestroyMutex
  void enter(MUTEXHANDLE m, Flags flags);           // _EnterMutex
  void leave(MUTEXHANDLE m);                        // _LeaveMutex
  THREADHANDLE owner(MUTEXHANDLE m);                // _GetMutexOwner
  const Mutex& get(MUTEXHANDLE m) const { return *all_[m - 1]; }
  std::size_t size() const { return all_.size(); }
  // owned_by: a mutex t owns (the first one), or 0: a body may not return owning one.
  MUTEXHANDLE owned_by(const Thread* t) const;
  void write_state(StateHasher& h) const;
  void teardown();

 private:
  Mutex* find(const char* service, MUTEXHANDLE m);
  void take(Mutex& mx, MUTEXHANDLE m, Thread* t);

  Kernel& k_;
  std::vector<std::unique_ptr<Mutex>> all_;
};

}  // namespace vmmsim::detail
