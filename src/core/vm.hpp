// vm.hpp: a simulated virtual machine (model.md section 1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

struct VM {
  std::uint32_t id = 0;  // 0 is the System VM
  const void* owner = nullptr;  // the Kernel it belongs to (handles are checked against it)
  std::string name;
  bool system = false;
  Thread* thread = nullptr;      // a non-system VM's only thread
  Priority boost = 0;            // boosts held by the whole VM (model.md section 1)
  int suspend_count = 0;         // Suspend_VM / Resume_VM
  bool v86_ints_locked = false;  // VMStat_V86IntsLocked
  int threads_if_clear = 0;      // live threads of this VM whose IF is clear (PEF_Wait_For_STI)
  int live_threads = 0;          // threads not finished (the idle thread counts)
  EventList events;              // pending VM events
};

}  // namespace vmmsim
