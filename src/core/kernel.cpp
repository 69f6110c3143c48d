// kernel.cpp: construction, threads and VMs, priorities, service preconditions, logging.
#include "core/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace vmmsim::detail {

namespace {
thread_local Kernel* g_kernel = nullptr;
}

Kernel* current_kernel() { return g_kernel; }
void set_current_kernel(Kernel* kernel) { g_kernel = kernel; }

Kernel::Kernel(Config config) {
  configure(config);
  auto sys = std::make_unique<VM>();
  sys->id = 0;
  sys->name = "System VM";
  sys->system = true;
  sys->owner = this;
  sys_vm_ = sys.get();
  vms_.push_back(std::move(sys));
  // model.md section 1: the System VM's built-in idle thread "sys".
  auto idle = std::make_unique<Thread>();
  idle->id = 0;
  idle->name = "sys";
  idle->vm = sys_vm_;
  idle->idle = true;
  idle->owner = this;
  idle->pm = true;
  idle_ = idle.get();
  sys_vm_->live_threads = 1;
  threads_.push_back(std::move(idle));
}

Kernel::~Kernel() {
  teardown_waits();
  global_events_.clear();
  timed_out_.clear();
  for (auto& vm : vms_) vm->events.clear();
  for (auto& t : threads_) t->events.clear();
  sys_ready_.clear();
  vm_ready_.clear();
  waiting_.clear();
  blocked_.clear();
  for (auto& t : threads_) t->fiber.release_stack();
}

std::int64_t Kernel::to_us(double ms) const { return static_cast<std::int64_t>(std::llround(ms * 1000.0)); }

std::int64_t Kernel::duration_us(const char* service, const char* what, double ms) {
  if (!std::isfinite(ms) || ms < 0 || ms > kMaxMs)
    throw ServiceError(fmt::format("{}: {} must be a number of milliseconds from 0 to {:g}, got {}", service, what,
                                   kMaxMs, ms));
  return static_cast<std::int64_t>(std::llround(ms * 1000.0));
}

void Kernel::configure(const Config& config) {
  if (running_) throw ServiceError("vmm.config: the run has already started");
  auto check = [](const char* name, double v, bool allow_zero) {
    if (!std::isfinite(v) || v < 0 || (!allow_zero && v == 0) || v > kMaxMs)
      throw ServiceError(fmt::format("vmm.config: {} must be a positive number of milliseconds up to {:g}, got {}",
                                     name, kMaxMs, v));
  };
  check("time_slice", config.time_slice_ms, false);
  check("starve_ms", config.starve_ms, false);
  check("max_time", config.max_time_ms, false);
  config_ = config;
  time_slice_us_ = to_us(config.time_slice_ms);
  starve_us_ = to_us(config.starve_ms);
  max_time_us_ = to_us(config.max_time_ms);
}

Thread* Kernel::create_thread(std::string name, Body body, Priority priority, VM* vm, bool pm) {
  const char* service = vm == sys_vm_ ? "vmm.create_thread" : "vmm.create_vm";
  if (ran_ && !running_) throw ServiceError(fmt::format("{}: the run is over", service));
  if (running_) check_thread_context(service);
  if (!body) throw ServiceError(fmt::format("{}: a body is required", service));
  if (priority < 0 || priority > Reserved_High_Boost)
    throw ServiceError(fmt::format("{}: priority {} is outside 0 .. Reserved_High_Boost (0x{:X})",
                                   service, priority, Reserved_High_Boost));
  auto t = std::make_unique<Thread>();
  t->id = static_cast<std::uint32_t>(threads_.size());
  t->owner = this;
  t->name = name.empty() ? fmt::format("thread{}", t->id) : std::move(name);
  t->vm = vm;
  t->base = priority;
  t->pm = pm;
  t->body = std::move(body);
  t->tie_key = t->id;  // never-run threads go in creation order (model.md section 2)
  t->last_wake_step = ++step_;
  Thread* raw = t.get();
  threads_.push_back(std::move(t));
  if (vm->system) max_sys_base_ = std::max(max_sys_base_, priority);
  ++vm->live_threads;
  ++unfinished_;
  make_ready(raw);
  if (running_) emit("create", fmt::format("created thread {} (priority 0x{:X})", raw->name, priority));
  return raw;
}

VM* Kernel::create_vm(std::string name, Body body, Priority priority, bool pm) {
  auto vm = std::make_unique<VM>();
  vm->id = static_cast<std::uint32_t>(vms_.size());
  vm->owner = this;
  vm->name = name.empty() ? fmt::format("vm{}", vm->id) : name;
  VM* raw = vm.get();
  vms_.push_back(std::move(vm));
  try {
    raw->thread = create_thread(raw->name, std::move(body), priority, raw, pm);
  } catch (...) {
    vms_.pop_back();
    throw;
  }
  return raw;
}

void Kernel::add_interrupt(double at_ms, double period_ms, std::int64_t count, InterruptHandler handler) {
  const char* service = period_ms > 0 ? "vmm.every" : "vmm.at";
  if (!handler) throw ServiceError(fmt::format("{}: a handler function is required", service));
  std::int64_t due = duration_us(service, "time", at_ms);
  if (period_ms > 0 && duration_us(service, "period", period_ms) <= 0)
    throw ServiceError(fmt::format("{}: period must be at least 0.001 ms", service));
  if (count == 0) return;
  if (running_ && due < now_us_)
    throw ServiceError(fmt::format("{}: time {:.3f} ms is in the past (now {:.3f} ms)", service, at_ms,
                                   now_us_ / 1000.0));
  InterruptSource src;
  src.handler = std::move(handler);
  src.period_us = period_ms > 0 ? to_us(period_ms) : 0;
  src.remaining = count;
  src.seq = ++timer_seq_;
  src.nominal_us = due;
  interrupts_.push_back(std::move(src));
  if (interrupts_.back().period_us == 0) ++timed_pending_;
  timers_.push({jittered(due), interrupts_.back().seq, TimerKind::interrupt, interrupts_.size() - 1});
}

// --- priorities ------------------------------------------------------------------------------

void Kernel::add_thread_boost(Thread* t, Priority delta) {
  if (delta == 0) return;
  bool queued = in_ready_queue(t);
  if (queued) ready_erase(t);
  t->boost += delta;
  if (queued) ready_insert(t);
}

void Kernel::add_vm_boost(VM* vm, Priority delta) {
  if (delta == 0) return;
  // System VM threads are keyed without the VM's boost (SysReadyOrder); a non-system VM has one thread.
  Thread* t = vm->system ? nullptr : vm->thread;
  bool queued = t != nullptr && in_ready_queue(t);
  if (queued) ready_erase(t);
  vm->boost += delta;
  if (queued) ready_insert(t);
}

// highest_sys_priority: an O(1) bound for range checks on the System VM: the highest base priority
// of its threads (bases never change), the best ready System VM thread, the current thread if it is
// one, and the idle thread. (Boosts held by blocked System VM threads are not seen: finding them
// would cost O(threads); a global event's boost is checked again when its callback runs.)
Priority Kernel::highest_sys_priority() const {
  Priority p = std::max(priority(idle_), max_sys_base_ + sys_vm_->boost);
  if (!sys_ready_.empty()) p = std::max(p, priority(&*sys_ready_.begin()));
  if (current_ != nullptr && current_->vm->system) p = std::max(p, priority(current_));
  return p;
}

void Kernel::adjust_exec_priority(Priority delta, VM* vm) {
  const char* service = "Adjust_Exec_Priority";
  check_running(service);
  check_vm(service, vm);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not adjust an execution priority "
                                   "(seed 001)", service));
  Priority after = vm->boost + delta;
  if (after < 0)
    throw ServiceError(fmt::format("{}: VM {} holds boosts of 0x{:X}; removing 0x{:X} would leave it below 0",
                                   service, vm->name, vm->boost, -delta));
  Priority highest = vm->system ? highest_sys_priority() : priority(vm->thread);
  if (after > Reserved_High_Boost || highest + delta >= Priority_Limit)
    throw ServiceError(fmt::format("{}: boost 0x{:X} would take VM {} above Reserved_High_Boost", service,
                                   delta, vm->name));
  add_vm_boost(vm, delta);
  emit("boost", fmt::format("Adjust_Exec_Priority {:+d} on VM {} (VM boosts now 0x{:X})", delta, vm->name,
                            vm->boost),
       {{"vm", LogField::Type::string, vm->name}, {"delta", LogField::Type::integer, {}, delta}});
}

void Kernel::adjust_thread_exec_priority(Priority delta, Thread* t) {
  const char* service = "Adjust_Thread_Exec_Priority";
  check_running(service);
  check_thread(service, t);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not adjust an execution priority "
                                   "(seed 001)", service));
  if (t->boost + delta < 0)
    throw ServiceError(fmt::format("{}: thread {} holds boosts of 0x{:X}; removing 0x{:X} would leave it "
                                   "below 0", service, t->name, t->boost, -delta));
  if (priority(t) + delta >= Priority_Limit || t->boost + delta > Reserved_High_Boost)
    throw ServiceError(fmt::format("{}: boost 0x{:X} would take thread {} above Reserved_High_Boost", service,
                                   delta, t->name));
  add_thread_boost(t, delta);
  emit("boost", fmt::format("Adjust_Thread_Exec_Priority {:+d} on {} (priority now 0x{:X})", delta, t->name,
                            priority(t)),
       {{"target", LogField::Type::string, t->name}, {"delta", LogField::Type::integer, {}, delta}});
}

// --- preconditions ---------------------------------------------------------------------------

void Kernel::check_running(const char* service) const {
  if (!running_ || current_ == nullptr)
    throw ServiceError(fmt::format("{}: may only be called while the simulation runs", service));
}

void Kernel::check_thread_context(const char* service) const {
  check_running(service);
  if (interrupt_depth_ > 0)
    throw ServiceError(fmt::format("{}: may not be called at interrupt time (model.md section 3)", service));
}

void Kernel::check_may_block(const char* service) const {
  check_thread_context(service);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not block (seed 001)", service));
  if (current_->idle)
    throw ServiceError(fmt::format("{}: a callback run by the idle thread sys may not block "
                                   "(model.md section 1)", service));
}

void Kernel::check_ring3(const char* service) const {
  check_thread_context(service);
  if (current_->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not run ring-3 code (seed 001)",
                                   service));
  if (current_->idle)
    throw ServiceError(fmt::format("{}: a callback run by the idle thread sys may not run ring-3 code "
                                   "(model.md section 1)", service));
}

Thread* Kernel::check_thread(const char* service, Thread* t) const {
  if (t == nullptr) throw ServiceError(fmt::format("{}: the thread handle is 0", service));
  if (t->owner != this) throw ServiceError(fmt::format("{}: the thread handle belongs to another machine", service));
  return t;
}

VM* Kernel::check_vm(const char* service, VM* vm) const {
  if (vm == nullptr) throw ServiceError(fmt::format("{}: the VM handle is 0", service));
  if (vm->owner != this) throw ServiceError(fmt::format("{}: the VM handle belongs to another machine", service));
  return vm;
}

// --- logging ---------------------------------------------------------------------------------

void Kernel::emit(const char* kind, std::string text, std::vector<LogField> fields) {
  if (!logging()) return;
  LogRecord r;
  r.t_ms = now_us_ / 1000.0;
  r.thread = current_ ? current_->name : std::string("-");
  r.kind = kind;
  r.text = std::move(text);
  r.fields = std::move(fields);
  r.priority = current_ ? priority(current_) : 0;
  sink_->record(r);
}

std::string Kernel::describe_event(const Event& ev) const {
  std::string target;
  switch (ev.kind) {
    case EventTargetKind::global: target = "global event"; break;
    case EventTargetKind::vm: target = fmt::format("VM event for {}", ev.vm->name); break;
    case EventTargetKind::thread: target = fmt::format("thread event for {}", ev.thread->name); break;
  }
  std::string s = fmt::format("{} #{}", target, ev.seq);  // #N: the N-th event created in the run
  if (ev.boost != 0) s += fmt::format(" boost 0x{:X}", ev.boost);
  Flags shown = ev.flags & ~PEF_Thread_Event;
  if (shown != 0) s += " " + pef_names(shown);
  return s;
}

std::string Kernel::block_id_name(BlockId id) const {
  auto it = id_names_.find(id);
  if (it != id_names_.end()) return fmt::format("'{}'", it->second);
  return fmt::format("0x{:X}", id);
}

}  // namespace vmmsim::detail
