// suspend.cpp: Suspend_VM / Resume_VM (DDK "Suspend_VM", "Resume_VM"; model.md section 5). A
// suspended VM's thread leaves every list the scheduler picks from, whatever its state.
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// DDK: "Fails for the System VM or a VM owning the critical section." Suspending the caller's own
// VM switches it out at once (model.md section 5).
bool Scheduler::suspend_vm(VM* vm) {
  const char* service = "Suspend_VM";
  k_.check_running(service);
  k_.check_vm(service, vm);
  if (vm->system) {
    k_.emit("warning", "warning: Suspend_VM fails: the System VM cannot be suspended (DDK)");
    return false;
  }
  const Thread* owner = k_.crit().owner();
  if (owner != nullptr && owner->vm == vm) {
    k_.emit("warning", fmt::format("warning: Suspend_VM fails: VM {} owns the critical section (DDK)", vm->name));
    return false;
  }
  if (vm->suspend_count_++ > 0) return true;
  Thread* t = vm->thread;
  k_.emit("suspend", fmt::format("Suspend_VM {}", vm->name), {{"vm", LogField::Type::string, vm->name}});
  if (t->in_ready_queue()) ready_erase(t);
  stop_waiting(t);
  t->blocked_hook_.unlink();
  if (t == current_ && !k_.at_interrupt_time() && t->ring0_depth == 0) {
    set_state(t, ThreadState::ready);
    schedule_away();
  }
  return true;
}

void Scheduler::resume_vm(VM* vm, const char* service) {
  k_.check_running(service);
  k_.check_vm(service, vm);
  if (vm->suspend_count_ == 0) throw ServiceError(fmt::format("{}: VM {} is not suspended", service, vm->name));
  if (--vm->suspend_count_ > 0) return;
  Thread* t = vm->thread;
  k_.emit("resume", fmt::format("{} {}", service, vm->name), {{"vm", LogField::Type::string, vm->name}});
  if (t == current_) return;
  rejoin(t);
}

void Scheduler::rejoin(Thread* t) {
  if (!schedulable(t)) return;
  if (t->state_ == ThreadState::ready) make_ready(t);
  else if (t->state_ == ThreadState::blocked && !t->blocked_hook_.is_linked()) blocked_.push_back(*t);
}

}  // namespace vmmsim::detail
