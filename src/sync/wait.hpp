// wait.hpp: the one blocking primitive (littlekernel's wait queue). Block IDs, semaphores, mutexes
// and the critical section are thin layers over it: each queues a Wait on its object and calls
// Waits::block, and its waker calls Waits::wake with the result the waiter will see.
//
// A thread blocked here may still be scheduled to service events (seed 000, "Event Processing":
// "a thread which is ostensibly blocked on a synchronization object can be called upon to do work
// while waiting"): Waits::block runs the same processing-point code as every other point for it,
// and blocks again unless its wait has been satisfied meanwhile.
#pragma once

#include <boost/intrusive/list.hpp>

#include <cstdint>

#include "vmmsim/types.hpp"

namespace vmmsim {

enum class WaitKind : std::uint8_t { block_id, semaphore, critical_section, mutex };

// BlockResult: why a wait ended, chosen by whoever ended it (SerenityOS's BlockResult).
//   signalled  the object was signalled, a token or the ownership was handed to the waiter
//   spurious   the explorer woke it with nothing signalled (seed 002, "_BlockOnID": "an unrelated
//              piece of code may signal the ID ... and cause this one to be spuriously awakened")
// No blocking service of the Windows 95 VMM takes a time-out, and a run that ends while a thread is
// blocked unwinds that thread's fiber (ThreadKilled) instead of returning to it.
enum class [[nodiscard]] BlockResult : std::uint8_t { signalled, spurious };

// Wait lives on the blocked thread's fiber stack for the duration of the block. Its hook unlinks
// itself when the frame unwinds (auto_unlink), and Kernel teardown clears every wait queue before
// fibers are killed, so no queue points into a dead frame.
struct Wait {
  WaitKind kind = WaitKind::block_id;
  Thread* thread = nullptr;
  Flags flags = 0;          // Block_* flags it blocked with
  BlockId id = 0;           // block_id
  std::uint64_t object = 0; // semaphore or mutex handle
  bool satisfied = false;   // woken (result says how)
  BlockResult result = BlockResult::signalled;
  std::int64_t since_us = 0;
  Wait* outer = nullptr;    // the wait this thread was servicing events in when it blocked again
  bool lost_wakeup = false; // model.md section 6: ID signalled (waking no one) before this block
  std::int64_t lost_signal_us = 0;
  boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> hook;
};

using WaitQueue = boost::intrusive::list<
    Wait,
    boost::intrusive::member_hook<
        Wait, boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>,
        &Wait::hook>,
    boost::intrusive::constant_time_size<false>>;

namespace detail {

class Kernel;

// Waits: blocking and waking. It owns each thread's chain of waits (a thread servicing events while
// blocked may block again inside a callback) and the wake-up step counter the lost wake-up
// diagnosis compares (model.md section 6).
class Waits {
 public:
  explicit Waits(Kernel& k) : k_(k) {}

  // block: the current thread blocks until w is satisfied (w already sits on its object's queue).
  BlockResult block(Wait& w);
  // wake: w is satisfied with result why. If it is its thread's innermost wait, the thread becomes
  // ready; an outer wait (the thread blocked again inside a callback it runs while servicing) is
  // only marked, and the thread sees it when its callbacks return.
  void wake(Wait& w, BlockResult why);
  // best_waiter: the highest-priority waiter first, FIFO among equals (DDK "Signal_Semaphore").
  static Wait* best_waiter(WaitQueue& q);

  std::uint64_t step() const { return step_; }
  std::uint64_t next_step() { return ++step_; }
  // on_created: a new thread's previous wake-up is its creation.
  void on_created(Thread* t);
  // mark_spurious: t is being woken spuriously now (once per virtual instant, block_ids.cpp).
  void mark_spurious(Thread* t);

 private:
  void service_until_satisfied(Wait& w);

  Kernel& k_;
  std::uint64_t step_ = 0;
};

}  // namespace detail
}  // namespace vmmsim
