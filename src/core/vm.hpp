// vm.hpp: a simulated virtual machine (model.md section 1). As with threads (thread.hpp), each part
// of its state is written only by the subsystem that owns it.
#pragma once

#include <cstdint>
#include <string>

#include "events/event.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

namespace detail {
class Kernel;
class Scheduler;
class EventQueues;
}  // namespace detail

struct VM {
  std::uint32_t id = 0;         // 0 is the System VM
  const void* owner = nullptr;  // the Kernel it belongs to (handles are checked against it)
  std::string name;
  bool system = false;
  Thread* thread = nullptr;      // a non-system VM's only thread
  bool v86_ints_locked = false;  // VMStat_V86IntsLocked (set_v86_ints_locked)

  Priority boost() const { return boost_; }  // boosts held by the whole VM (model.md section 1)
  // kept_boost: the part of boost() no live object holds: Adjust_Exec_Priority's, and what events
  // with PEF_Dont_Unboost left behind (the invariants' ledger, core/invariants.cpp).
  Priority kept_boost() const { return kept_; }
  int suspend_count() const { return suspend_count_; }
  bool suspended() const { return suspend_count_ > 0; }
  bool idle() const { return idle_; }  // Release_Time_Slice until Wake_Up_VM (a non-system VM)
  int threads_if_clear() const { return threads_if_clear_; }
  int live_threads() const { return live_threads_; }
  std::int64_t exec_us() const { return exec_us_; }  // time its threads held the CPU
  const EventList& events() const { return events_; }
  const EventList& exec_timeouts() const { return exec_timeouts_; }

 private:
  friend class detail::Scheduler;
  Priority boost_ = 0;
  Priority kept_ = 0;  // see kept_boost()
  int suspend_count_ = 0;  // Suspend_VM / Resume_VM
  bool idle_ = false;

  friend class detail::Kernel;
  int threads_if_clear_ = 0;  // live threads of this VM whose IF is clear (PEF_Wait_For_STI)
  int live_threads_ = 0;      // threads not finished (the idle thread counts)
  std::int64_t exec_us_ = 0;  // Set_VM_Time_Out counts this (the System VM: idle time too)

  friend class detail::EventQueues;
  EventList events_;         // pending VM events
  EventList exec_timeouts_;  // Set_VM_Time_Out time-outs pending on it
};

}  // namespace vmmsim
