// time_slice.cpp: Release_Time_Slice and Wake_Up_VM (DDK "Release_Time_Slice", "Wake_Up_VM").
//
// DDK "Release_Time_Slice" (Windows 95): "system thread: idles until Wake_Up_VM; other System-VM
// threads: yield only if another thread of equal or higher priority is ready; non-system VM: idles
// the VM." In this model the System VM's own thread is the idle thread sys, which never calls it, so
// a System VM thread yields; a non-system VM's thread idles its VM: it gets the CPU again after
// Wake_Up_VM, or when an event is queued for the VM or its thread (the VMM must run the VM to
// process it: decided here, docs/model.md).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

void Scheduler::release_time_slice() {
  const char* service = "Release_Time_Slice";
  k_.check_may_block(service);
  Thread* t = current_;
  if (t->servicing)
    throw ServiceError(service, fmt::format("{} is blocked servicing events; it has no time slice to release",
                                            t->name));
  struct Yielding {
    Thread* t;
    ~Yielding() { t->yielding = false; }
  } yielding{t};
  t->yielding = true;
  if (t->vm->system) {
    Thread* best = best_eligible();
    if (best == nullptr || priority(best) < priority(t)) {
      k_.emit("yield", "Release_Time_Slice: no other thread of equal or higher priority is ready");
      return;
    }
    Thread* next = choose_among_ties(best);
    k_.emit("yield", fmt::format("Release_Time_Slice: yields to {}", next->name));
    make_ready(t);
    switch_to(next);
    return;
  }
  VM* vm = t->vm;
  vm->idle_ = true;
  k_.emit("yield", fmt::format("Release_Time_Slice: VM {} is idle until Wake_Up_VM", vm->name),
          {{"vm", LogField::Type::string, vm->name}});
  set_state(t, ThreadState::ready);  // ready, but its VM is not schedulable: in no list
  if (t->in_ready_queue()) ready_erase(t);
  stop_waiting(t);
  schedule_away();
}

void Scheduler::wake_up_vm(VM* vm, const char* why) {
  const char* service = "Wake_Up_VM";
  if (why == nullptr) {
    k_.check_running(service);
    k_.check_vm(service, vm);
  }
  if (!vm->idle_) return;  // DDK: "no-op if not idle"
  vm->idle_ = false;
  k_.emit("wake_vm", why ? fmt::format("VM {} is no longer idle: {}", vm->name, why)
                         : fmt::format("Wake_Up_VM {}", vm->name),
          {{"vm", LogField::Type::string, vm->name}});
  if (vm->thread != current_) rejoin(vm->thread);
}

}  // namespace vmmsim::detail
