// suspend.cpp: Suspend_VM / Resume_VM (DDK, model.md section 5).
#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// DDK: "Fails for the System VM or a VM owning the critical section." Suspending the caller's own
// VM switches it out at once (model.md section 5).
bool Kernel::suspend_vm(VM* vm) {
  const char* service = "Suspend_VM";
  check_running(service);
  check_vm(service, vm);
  if (vm->system) {
    emit("warning", "warning: Suspend_VM fails: the System VM cannot be suspended (DDK)");
    return false;
  }
  if (crit_.owner != nullptr && crit_.owner->vm == vm) {
    emit("warning", fmt::format("warning: Suspend_VM fails: VM {} owns the critical section (DDK)", vm->name));
    return false;
  }
  if (vm->suspend_count++ > 0) return true;
  Thread* t = vm->thread;
  emit("suspend", fmt::format("Suspend_VM {}", vm->name), {{"vm", LogField::Type::string, vm->name}});
  if (in_ready_queue(t)) ready_erase(t);
  stop_waiting(t);
  t->blocked_hook.unlink();
  if (t == current_ && interrupt_depth_ == 0 && t->ring0_depth == 0) {
    t->state = ThreadState::ready;
    schedule_away();
  }
  return true;
}

void Kernel::resume_vm(VM* vm) {
  const char* service = "Resume_VM";
  check_running(service);
  check_vm(service, vm);
  if (vm->suspend_count == 0)
    throw ServiceError(fmt::format("{}: VM {} is not suspended", service, vm->name));
  if (--vm->suspend_count > 0) return;
  Thread* t = vm->thread;
  emit("resume", fmt::format("Resume_VM {}", vm->name), {{"vm", LogField::Type::string, vm->name}});
  if (t == current_) return;
  if (t->state == ThreadState::ready) make_ready(t);
  else if (t->state == ThreadState::blocked) blocked_.push_back(*t);
}

}  // namespace vmmsim::detail
