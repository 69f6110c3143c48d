// critical_section.hpp: the VMM's one critical section (DDK "Begin_Critical_Section",
// "End_Critical_Section"; model.md section 5): its owner, claim count and waiters.
#pragma once

#include "events/event_queues.hpp"
#include "sync/wait.hpp"

namespace vmmsim {
class StateHasher;
}

namespace vmmsim::detail {

class Kernel;

class CriticalSection {
 public:
  explicit CriticalSection(Kernel& k) : k_(k) {}

  void begin(Flags flags);                          // Begin_Critical_Section
  void claim_n(std::int64_t count, Flags flags);    // Claim_Critical_Section
  void end();                                       // End_Critical_Section
  CritSectionStatus status();                       // Get_Crit_Section_Status
  bool end_and_suspend();                           // End_Crit_And_Suspend
  const Thread* owner() const { return owner_; }
  Thread* owner() { return owner_; }
  int claims() const { return claims_; }
  // claim / release_fully: Block_Force_Svc_Ints servicing holds the free section (sync/wait.cpp).
  void claim(Thread* t, int claims);
  void release_fully(Thread* t, EventQueues::AtRelease at = EventQueues::AtRelease::run_if_possible);
  void write_state(StateHasher& h) const;
  void teardown() { waiters_.clear(); }

 private:
  void acquire(const char* service, int count, Flags flags);

  Kernel& k_;
  Thread* owner_ = nullptr;
  int claims_ = 0;
  WaitQueue waiters_;
};

}  // namespace vmmsim::detail
