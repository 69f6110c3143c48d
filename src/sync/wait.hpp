// wait.hpp: the one blocking primitive (littlekernel's wait queue). Block IDs, semaphores and the
// critical section are thin layers over it: each queues a Wait and calls Kernel::block_current.
#pragma once

#include <boost/intrusive/list.hpp>

#include <cstdint>

#include "vmmsim/types.hpp"

namespace vmmsim {

enum class WaitKind : std::uint8_t { block_id, semaphore, critical_section };

// Wait lives on the blocked thread's fiber stack for the duration of the block. Its hook unlinks
// itself when the frame unwinds (auto_unlink), and Kernel teardown clears every wait queue before
// fibers are killed, so no queue points into a dead frame.
struct Wait {
  WaitKind kind = WaitKind::block_id;
  Thread* thread = nullptr;
  Flags flags = 0;          // Block_* flags it blocked with
  BlockId id = 0;           // block_id
  std::uint64_t sem = 0;    // semaphore handle
  bool satisfied = false;   // woken (signal, token or hand-off)
  std::int64_t since_us = 0;
  Wait* outer = nullptr;    // the wait this thread was servicing events in when it blocked again
  bool lost_wakeup = false;        // model.md section 6: ID signalled (waking no one) before this block
  std::int64_t lost_signal_us = 0;
  boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> hook;
};

using WaitQueue = boost::intrusive::list<
    Wait,
    boost::intrusive::member_hook<
        Wait, boost::intrusive::list_member_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>,
        &Wait::hook>,
    boost::intrusive::constant_time_size<false>>;

}  // namespace vmmsim
