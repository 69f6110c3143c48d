// thread.hpp: a simulated thread (model.md section 1). Owned by the Kernel; the public THREADHANDLE
// points here.
//
// Each part of a thread's state belongs to the subsystem that keeps its invariants, and only that
// subsystem may write it (friendship enforces it; everyone may read through the accessors):
//   Scheduler    state, boost, tie order, slice, how long it has waited, the scheduler's lists
//   EventQueues  its pending thread events and the time-outs counting its execution time
//   Waits        the wait it is blocked in, when it was last woken
//   Kernel       its interrupt flag (counted per VM for PEF_Wait_For_STI)
#pragma once

#include <boost/intrusive/list.hpp>
#include <boost/intrusive/set.hpp>

#include <cstdint>
#include <string>

#include "events/event.hpp"
#include "fiber/fiber.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

namespace detail {
class Kernel;
class Scheduler;
class EventQueues;
class Waits;
}  // namespace detail

enum class ThreadState : std::uint8_t {
  ready,     // can run (when its VM is not suspended); in the ready queue unless it is running
  running,   // holds the CPU (also while servicing events during a block)
  blocked,   // waiting on a block ID, semaphore, mutex or the critical section
  finished,  // its body returned
};

// What run_timed executes for the thread now (execution.cpp).
enum class Executing : std::uint8_t { nothing, ring3, hw_int, nested };

namespace bi = boost::intrusive;
using ReadyHook = bi::set_member_hook<bi::link_mode<bi::safe_link>>;
using ListHook = bi::list_member_hook<bi::link_mode<bi::auto_unlink>>;

struct Wait;

struct Thread {
  // Identity: set at creation, never changed.
  std::uint32_t id = 0;         // creation order; the idle thread is 0
  const void* owner = nullptr;  // the Kernel it belongs to (handles are checked against it)
  std::string name;
  VM* vm = nullptr;
  bool idle = false;  // the System VM's idle thread "sys" (model.md section 1)
  Priority base = 0;  // base priority (model.md section 1, Decided here: the scenario's)

  // What it is doing (execution.cpp, events/processing.cpp).
  bool pm = true;        // protected mode (V86 when false)
  int nest_depth = 0;    // Begin_Nest_Exec depth
  int hw_depth = 0;      // simulated hardware-interrupt depth (hw_int)
  int ring0_depth = 0;   // inside a PEF_Ring0_Event callback
  int callback_depth = 0;
  Executing executing = Executing::nothing;
  bool servicing = false;    // running event callbacks while blocked (seed 000)
  bool forced_crit = false;  // holds the critical section for Block_Force_Svc_Ints servicing

  Body body;
  detail::Fiber fiber;
  void* user = nullptr;  // Machine::set_user_data
  bool started = false;
  bool killed = false;   // resumed only to unwind: every switch point throws ThreadKilled
  bool yielding = false; // switched away inside Release_Time_Slice (not a fingerprinted site)

  ThreadState state() const { return state_; }
  bool finished() const { return state_ == ThreadState::finished; }
  Priority boost() const { return boost_; }  // the boosts the thread itself holds
  // kept_boost: the part of boost() no live object holds: Adjust_Thread_Exec_Priority's, and what
  // events with PEF_Dont_Unboost left behind (the invariants' ledger, core/invariants.cpp).
  Priority kept_boost() const { return kept_; }
  bool if_flag() const { return if_flag_; }
  std::uint64_t tie_key() const { return tie_key_; }
  std::int64_t slice_used_us() const { return slice_used_us_; }
  std::int64_t waiting_since() const { return waiting_since_; }
  bool in_ready_queue() const { return ready_hook_.is_linked() || ready_front_; }
  const EventList& events() const { return events_; }
  const EventList& exec_timeouts() const { return exec_timeouts_; }
  const Wait* wait() const { return wait_; }
  std::uint64_t last_wake_step() const { return last_wake_step_; }
  std::int64_t spurious_at_us() const { return spurious_at_us_; }
  std::int64_t exec_us() const { return exec_us_; }  // virtual time it has held the CPU

 private:
  friend class detail::Scheduler;
  ThreadState state_ = ThreadState::ready;
  Priority boost_ = 0;
  Priority kept_ = 0;                // see kept_boost()
  std::uint64_t tie_key_ = 0;        // smaller runs first among equal priorities
  std::int64_t slice_used_us_ = 0;   // ring-3 time since it was last switched to
  std::int64_t waiting_since_ = -1;  // eligible and not running since (µs), or -1
  ReadyHook ready_hook_;
  bool ready_front_ = false;  // in the ready queue's front slot instead of its set (Scheduler::ready_insert)
  ListHook waiting_hook_;  // ready threads in waiting_since order
  ListHook blocked_hook_;  // blocked threads of VMs that are not suspended

  friend class detail::EventQueues;
  EventList events_;         // pending thread events (PEF_Thread_Event, Schedule_Thread_Event)
  EventList exec_timeouts_;  // Set_Thread_Time_Out time-outs pending on it

  friend class detail::Waits;
  Wait* wait_ = nullptr;              // the innermost wait while blocked (sync/wait.hpp)
  std::uint64_t last_wake_step_ = 0;  // lost wake-up tracking (model.md section 6)
  std::int64_t spurious_at_us_ = -1;  // when the explorer last woke it spuriously

  friend class detail::Kernel;
  bool if_flag_ = true;     // ring-3 interrupt flag
  std::int64_t exec_us_ = 0;  // Set_Thread_Time_Out counts this
};

}  // namespace vmmsim
