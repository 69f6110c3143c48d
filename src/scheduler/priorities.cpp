// priorities.cpp: execution priorities and boosts (model.md section 1; DDK "Adjust_Exec_Priority",
// "Adjust_Thread_Exec_Priority"). The only writers of boosts: they keep the ready sets ordered.
#include <fmt/format.h>

#include <algorithm>

#include "core/kernel.hpp"

namespace vmmsim::detail {

void Scheduler::add_thread_boost(Thread* t, Priority delta) {
  if (delta == 0) return;
  bool queued = t->in_ready_queue();
  if (queued) ready_erase(t);  // moves the epoch: a queued thread's priority changes
  t->boost_ += delta;
  if (queued) ready_insert(t);
  if (k_.annotating()) k_.annotate_priority(t);
}

void Scheduler::keep_boost(Thread* t, VM* vm, Priority boost) {
  if (t != nullptr) t->kept_ += boost;
  if (vm != nullptr) vm->kept_ += boost;
}

void Scheduler::add_vm_boost(VM* vm, Priority delta) {
  if (delta == 0) return;
  // System VM threads are keyed without the VM's boost (SysReadyOrder); a non-system VM has one thread.
  Thread* t = vm->system ? nullptr : vm->thread;
  bool queued = t != nullptr && t->in_ready_queue();
  if (queued) ready_erase(t);
  vm->boost_ += delta;
  ++epoch_;  // every System VM thread's priority moved, in the ready queue too
  if (queued) ready_insert(t);
  // Every thread of the VM changed (the System VM's: all of its threads, only when annotating).
  if (k_.annotating()) {
    if (!vm->system) {
      k_.annotate_priority(vm->thread);
    } else {
      for (const auto& other : k_.threads())
        if (other->vm == vm && !other->finished()) k_.annotate_priority(other.get());
    }
  }
}

// highest_sys_priority: an O(1) bound for range checks on the System VM: the highest base priority
// of its threads (bases never change), the best ready System VM thread, the current thread if it is
// one, and the idle thread. (Boosts held by blocked System VM threads are not seen: finding them
// would cost O(threads); a global event's boost is checked again when its callback runs.)
Priority Scheduler::highest_sys_priority() const {
  Priority p = std::max(priority(k_.idle_thread()), max_sys_base_ + k_.sys_vm()->boost_);
  if (!sys_ready_.empty()) p = std::max(p, priority(&*sys_ready_.begin()));
  if (front_ != nullptr && front_->vm->system) p = std::max(p, priority(front_));
  if (current_ != nullptr && current_->vm->system) p = std::max(p, priority(current_));
  return p;
}

void Scheduler::adjust_exec_priority(Priority delta, VM* vm) {
  const char* service = "Adjust_Exec_Priority";
  k_.check_running(service);
  k_.check_vm(service, vm);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not adjust an execution priority "
                                   "(DDK \"Call_Restricted_Event\")", service));
  Priority after = vm->boost_ + delta;
  if (after < 0)
    throw ServiceError(fmt::format("{}: VM {} holds boosts of 0x{:X}; removing 0x{:X} would leave it below 0",
                                   service, vm->name, vm->boost_, -delta));
  Priority highest = vm->system ? highest_sys_priority() : priority(vm->thread);
  if (after > Reserved_High_Boost || highest + delta >= Priority_Limit)
    throw ServiceError(fmt::format("{}: boost 0x{:X} would take VM {} above Reserved_High_Boost", service,
                                   delta, vm->name));
  add_vm_boost(vm, delta);
  vm->kept_ += delta;
  k_.emit("boost", fmt::format("Adjust_Exec_Priority {:+d} on VM {} (VM boosts now 0x{:X})", delta, vm->name,
                               vm->boost_),
          {{"vm", LogField::Type::string, vm->name}, {"delta", LogField::Type::integer, {}, delta}});
}

void Scheduler::adjust_thread_exec_priority(Priority delta, Thread* t) {
  const char* service = "Adjust_Thread_Exec_Priority";
  k_.check_running(service);
  k_.check_thread(service, t);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not adjust an execution priority "
                                   "(DDK \"Call_Restricted_Event\")", service));
  if (t->boost_ + delta < 0)
    throw ServiceError(fmt::format("{}: thread {} holds boosts of 0x{:X}; removing 0x{:X} would leave it "
                                   "below 0", service, t->name, t->boost_, -delta));
  if (priority(t) + delta >= Priority_Limit || t->boost_ + delta > Reserved_High_Boost)
    throw ServiceError(fmt::format("{}: boost 0x{:X} would take thread {} above Reserved_High_Boost", service,
                                   delta, t->name));
  add_thread_boost(t, delta);
  t->kept_ += delta;
  k_.emit("boost", fmt::format("Adjust_Thread_Exec_Priority {:+d} on {} (priority now 0x{:X})", delta, t->name,
                               priority(t)),
          {{"target", LogField::Type::string, t->name}, {"delta", LogField::Type::integer, {}, delta}});
}

}  // namespace vmmsim::detail
