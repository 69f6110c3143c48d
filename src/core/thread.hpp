// thread.hpp: a simulated thread (model.md section 1). Owned by the Kernel; the public THREADHANDLE
// points here.
#pragma once

#include <boost/intrusive/list.hpp>
#include <boost/intrusive/set.hpp>

#include <cstdint>
#include <string>

#include "core/event.hpp"
#include "fiber/fiber.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

enum class ThreadState : std::uint8_t {
  ready,     // can run (when its VM is not suspended); in the ready queue unless it is running
  running,   // holds the CPU (also while servicing events during a block)
  blocked,   // waiting on a block ID, semaphore or the critical section
  finished,  // its body returned
};

namespace bi = boost::intrusive;
using ReadyHook = bi::set_member_hook<bi::link_mode<bi::safe_link>>;
using ListHook = bi::list_member_hook<bi::link_mode<bi::auto_unlink>>;

struct Wait;

struct Thread {
  std::uint32_t id = 0;  // creation order; the idle thread is 0
  const void* owner = nullptr;  // the Kernel it belongs to (handles are checked against it)
  std::string name;
  VM* vm = nullptr;
  bool idle = false;  // the System VM's idle thread "sys" (model.md section 1)

  // Execution priority = base + boost + vm->boost (model.md section 1). Change boost only through
  // Kernel::add_thread_boost, which keeps the ready queue's order.
  Priority base = 0;
  Priority boost = 0;

  ThreadState state = ThreadState::ready;
  bool if_flag = true;   // ring-3 interrupt flag
  bool pm = true;        // protected mode (V86 when false)
  int nest_depth = 0;    // Begin_Nest_Exec depth
  int hw_depth = 0;      // simulated hardware-interrupt depth (hw_int)
  int ring0_depth = 0;   // inside a PEF_Ring0_Event callback
  int callback_depth = 0;
  std::uint8_t executing = 0;  // what run_timed runs now: 0 nothing, 1 ring3, 2 hw_int, 3 nested
  bool servicing = false;      // running event callbacks while blocked (seed 000)
  bool forced_crit = false;    // holds the critical section for Block_Force_Svc_Ints servicing
  Wait* wait = nullptr;        // the innermost wait while blocked (sync/wait.hpp)

  // Scheduling (scheduler/): tie order, slice, how long it has waited for the CPU.
  std::uint64_t tie_key = 0;         // smaller runs first among equal priorities
  std::int64_t slice_used_us = 0;    // ring-3 time since it was last switched to
  std::int64_t waiting_since = -1;   // eligible and not running since (µs), or -1
  ReadyHook ready_hook;
  ListHook waiting_hook;  // Kernel::waiting_: ready threads in waiting_since order
  ListHook blocked_hook;  // Kernel::blocked_: blocked threads of VMs that are not suspended

  EventList events;  // pending thread events (PEF_Thread_Event, Schedule_Thread_Event)

  // Lost wake-up tracking (model.md section 6): the step of its previous wake-up.
  std::uint64_t last_wake_step = 0;
  std::int64_t spurious_at_us = -1;  // when the explorer last woke it spuriously

  Body body;
  detail::Fiber fiber;
  void* user = nullptr;  // Machine::set_user_data
  bool started = false;
  bool killed = false;   // resumed only to unwind: every switch point throws ThreadKilled
};

}  // namespace vmmsim
