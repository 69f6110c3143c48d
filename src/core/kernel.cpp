// kernel.cpp: construction, threads and VMs, service preconditions, the log, processing points and
// choice points.
#include "core/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace vmmsim::detail {

constinit thread_local Kernel* g_current_kernel = nullptr;

namespace {
std::atomic<int> g_live_kernels{0};
}  // namespace

int live_kernel_count() { return g_live_kernels.load(); }
void set_current_kernel(Kernel* kernel) {
  g_current_kernel = kernel;
  set_recent_services(kernel != nullptr ? &kernel->recent_services() : nullptr);
}

Kernel::Kernel(Config config) {
  ++g_live_kernels;
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
  sys_vm_->live_threads_ = 1;
  threads_.push_back(std::move(idle));
}

Kernel::~Kernel() {
  // Every list links threads, VMs and events; empty them before any of those is destroyed.
  teardown_waits();
  events_.teardown();
  scheduler_.teardown();
  for (auto& t : threads_) t->fiber.release_stack();
  --g_live_kernels;
}

void Kernel::set_chooser(Chooser* chooser) {
  chooser_ = chooser;
  space_ = chooser != nullptr ? chooser->space() : ChoiceSpace{};
  wants_states_ = chooser != nullptr && chooser->wants_states();
  by_identity_ = wants_states_ && chooser->matches_by_identity();
}

void Kernel::refuse_duration(const char* service, const char* what, double ms) {
  throw ServiceError(service, fmt::format("{} must be a number of milliseconds from 0 to {:g}, got {}", what,
                                          kMaxMs, ms));
}

void Kernel::configure(const Config& config) {
  const char* service = "Machine::configure";
  if (running_) throw ServiceError(service, "the run has already started");
  auto check = [&](const char* name, double v) {
    if (!std::isfinite(v) || v <= 0 || v > kMaxMs)
      throw ServiceError(service, fmt::format("{} must be a positive number of milliseconds up to {:g}, got {}",
                                              name, kMaxMs, v));
  };
  check("time_slice_ms", config.time_slice_ms);
  check("starve_ms", config.starve_ms);
  check("max_time_ms", config.max_time_ms);
  config_ = config;
  scheduler_.configure(to_us(config.time_slice_ms), to_us(config.starve_ms));
  max_time_us_ = to_us(config.max_time_ms);
}

Thread* Kernel::create_thread(std::string name, Body body, Priority priority, VM* vm, CpuMode mode) {
  const char* service = vm == sys_vm_ ? "Machine::create_thread" : "Machine::create_vm";
  if (ran_ && !running_) throw ServiceError(service, "the run is over");
  if (running_) check_thread_context(service);
  if (!body) throw ServiceError(service, "a body is required");
  if (priority < 0 || priority > Reserved_High_Boost)
    throw ServiceError(service, fmt::format("priority {} is outside 0 .. Reserved_High_Boost (0x{:X})",
                                            priority < 0 ? fmt::format("{}", priority)
                                                         : fmt::format("0x{:X}", priority),
                                            Reserved_High_Boost));
  auto t = std::make_unique<Thread>();
  t->id = static_cast<std::uint32_t>(threads_.size());
  t->owner = this;
  t->name = name.empty() ? fmt::format("thread{}", t->id) : std::move(name);
  t->vm = vm;
  t->base = priority;
  t->pm = mode == CpuMode::protected_mode;
  t->body = std::move(body);
  Thread* raw = t.get();
  threads_.push_back(std::move(t));
  waits_.on_created(raw);
  ++vm->live_threads_;
  ++unfinished_;
  scheduler_.on_created(raw);
  if (running_) {
    emit("create", fmt::format("created thread {} (priority 0x{:X})", raw->name, priority));
    annotate_thread(raw);
    drivers_.on_thread_created(raw);  // Create_Thread in the creator's context
  }
  return raw;
}

VM* Kernel::create_vm(std::string name, Body body, Priority priority, CpuMode mode) {
  auto vm = std::make_unique<VM>();
  vm->id = static_cast<std::uint32_t>(vms_.size());
  vm->owner = this;
  vm->name = name.empty() ? fmt::format("vm{}", vm->id) : name;
  VM* raw = vm.get();
  vms_.push_back(std::move(vm));
  try {
    raw->thread = create_thread(raw->name, std::move(body), priority, raw, mode);
  } catch (...) {
    vms_.pop_back();
    throw;
  }
  return raw;
}

void Kernel::add_interrupt(double at_ms, double period_ms, std::int64_t count, InterruptHandler handler) {
  const char* service = period_ms > 0 ? "Machine::every" : "Machine::at";
  if (!handler) throw ServiceError(service, "a handler function is required");
  std::int64_t due = duration_us(service, "time", at_ms);
  if (period_ms > 0 && duration_us(service, "period", period_ms) <= 0)
    throw ServiceError(service, "period must be at least 0.001 ms");
  if (count == 0) return;
  if (running_ && due < now_us())
    throw ServiceError(service, fmt::format("time {:.3f} ms is in the past (now {:.3f} ms)", at_ms,
                                            now_us() / 1000.0));
  InterruptSource& src = timers_.add_source(std::move(handler), period_ms > 0 ? to_us(period_ms) : 0, count, due);
  timers_.arm(src.timer, jittered(due), timers_.next_seq());
}

void Kernel::set_if_flag(Thread* t, bool enabled) {
  if (t->if_flag_ == enabled) return;
  t->if_flag_ = enabled;
  t->vm->threads_if_clear_ += enabled ? -1 : 1;
}

void Kernel::on_thread_finished(Thread* t) {
  --t->vm->live_threads_;
  if (!t->if_flag_) --t->vm->threads_if_clear_;
  --unfinished_;
}

// --- preconditions ---------------------------------------------------------------------------

void Kernel::refuse_not_running(const char* service) {
  throw ServiceError(service, "may only be called while the simulation runs");
}

void Kernel::check_setup_or_running(const char* service) {
  recent_.note(service);
  if (ran_ && !running_) throw ServiceError(service, "the run is over");
  if (running_ && current() == nullptr) throw ServiceError(service, "may only be called while the simulation runs");
}

void Kernel::refuse_at_interrupt_time(const char* service) {
  throw ServiceError(service, "may not be called at interrupt time (model.md section 3)");
}

void Kernel::refuse_block(const char* service) const {
  if (interrupt_depth_ > 0) refuse_at_interrupt_time(service);
  if (current()->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not block (DDK \"Call_Restricted_Event\")", service));
  throw ServiceError(fmt::format("{}: a callback run by the idle thread sys may not block "
                                 "(model.md section 1)", service));
}

void Kernel::refuse_ring3(const char* service) const {
  if (interrupt_depth_ > 0) refuse_at_interrupt_time(service);
  if (current()->ring0_depth > 0)
    throw ServiceError(fmt::format("{}: a PEF_Ring0_Event callback must not run ring-3 code (DDK \"Call_Restricted_Event\")",
                                   service));
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

// --- the log ---------------------------------------------------------------------------------

void Kernel::emit(const char* kind, std::string text, std::vector<LogField> fields) {
  if (logging()) record(kind, std::move(text), std::move(fields), false);
}

void Kernel::annotate(const char* kind, std::string text, std::vector<LogField> fields) {
  if (annotating()) record(kind, std::move(text), std::move(fields), true);
}

// record: one log record, stamped with the time, the current thread and its priority.
void Kernel::record(const char* kind, std::string text, std::vector<LogField> fields, bool annotation) {
  Thread* cur = current();
  LogRecord r;
  r.t_ms = now_us() / 1000.0;
  r.thread = cur ? cur->name : std::string("-");
  r.kind = kind;
  r.text = std::move(text);
  r.fields = std::move(fields);
  r.priority = cur ? Scheduler::priority(cur) : 0;
  r.annotation = annotation;
  sink_->record(r);
}

void Kernel::annotate_thread(const Thread* t) {
  if (!annotating()) return;
  annotate("thread", fmt::format("thread {} of VM {}, base priority 0x{:X}", t->name, t->vm->name, t->base),
           {{"name", LogField::Type::string, t->name},
            {"vm", LogField::Type::string, t->vm->name},
            {"base", LogField::Type::integer, {}, t->base},
            {"idle", LogField::Type::boolean, {}, 0, 0, t->idle}});
}

void Kernel::annotate_priority(const Thread* t) {
  if (!annotating() || t == current()) return;
  annotate("priority", fmt::format("priority of {} now 0x{:X}", t->name, Scheduler::priority(t)),
           {{"target", LogField::Type::string, t->name},
            {"value", LogField::Type::integer, {}, Scheduler::priority(t)}});
}

// --- processing points ----------------------------------------------------------------------------

// processing_point: model.md section 4. Process every processable event (timed-out ones first),
// then switch if a strictly higher-priority thread is eligible, or if the slice ran out and an
// equal-priority one waits (Rotation::allowed: ring-3 execution outside nested execution).
void Kernel::processing_point(Rotation rotation) {
  Thread* t = current();
  VMMSIM_VERIFY(t != nullptr && t->state() == ThreadState::running && interrupt_depth_ == 0,
                "a processing point outside a running thread's context");
  check_invariants();
  if (interrupt_ != nullptr && interrupt_->load(std::memory_order_relaxed)) [[unlikely]]
    end_run(Outcome::error, fmt::format("interrupted at {:.3f} ms", now_us() / 1000.0));
  livelock_.at(now_us());
  if (livelock_.point())
    end_run(Outcome::starved,
            fmt::format("starved: zero-time livelock: {} reached more than {} event processing points at the "
                        "virtual instant {:.3f} ms without time advancing (e.g. ring3(0) in a loop)",
                        t->name, LivelockGuard::kMaxPointsPerInstant, now_us() / 1000.0));
  ids_.offer_spurious_wakeup(space_.spurious_wakeups);
  for (;;) {
    Judge judge;
    judge.thread = t;
    events_.service(t, judge, nullptr);
    if (t->vm->suspended()) {  // Suspend_VM of its own VM at interrupt time takes effect here
      scheduler_.make_ready(t);
      scheduler_.schedule_away();
      continue;
    }
    Thread* best = scheduler_.best_eligible();
    if (best == nullptr) return;
    Thread* next = best;
    if (!t->idle) {
      Priority pn = Scheduler::priority(best), pt = Scheduler::priority(t);
      bool rotate = rotation == Rotation::allowed && pn == pt && t->slice_used_us() >= scheduler_.time_slice_us();
      if (pn < pt || (pn == pt && !rotate)) return;
      next = scheduler_.choose_among_ties(best);  // before t is ready again: t itself is no option
      if (logging() && pn == pt)
        emit("slice", fmt::format("time slice over; {} has the same priority", next->name));
      scheduler_.make_ready(t);
    } else {
      next = scheduler_.choose_among_ties(best);
      scheduler_.make_ready(t);  // the idle thread waits in no queue: it runs when nothing else can
    }
    scheduler_.switch_to(next);  // when t runs again, it takes its processing point again
  }
}

void Kernel::invoke(const EventCallback& cb, const EventContext& ctx) {
  try {
    cb(ctx);
  } catch (...) {
    invoke_failed();
  }
}

void Kernel::invoke_failed() {
  std::string failure;
  Thread* t = current();
  try {
    throw;
  } catch (const ThreadKilled&) {
    throw;
  } catch (const ScenarioError& e) {
    failure = e.what();
  } catch (const ServiceError& e) {
    failure = fmt::format("in a callback on {}: {}", t->name, e.what());
  } catch (const std::exception& e) {
    failure = fmt::format("in a callback on {}: {}", t->name, e.what());
  } catch (...) {
    failure = fmt::format("in a callback on {}: an exception that is not a std::exception", t->name);
  }
  fail_run(std::move(failure));
  throw ThreadKilled{};
}

void Kernel::mute_log() {
  if (!logging()) return;
  emit("warning", fmt::format("warning: {} callbacks at {:.3f} ms without time advancing; the log is muted "
                              "until time advances (more than {} end the run as a zero-time livelock)",
                              LivelockGuard::kMuteLogAfter, now_us() / 1000.0,
                              LivelockGuard::kMaxCallbacksPerInstant));
  livelock_.mute();
}

void Kernel::end_callback_livelock(const char* what, const Event* ev) {
  end_run(Outcome::starved,
          fmt::format("starved: zero-time livelock: more than {} callbacks ran at the virtual instant "
                      "{:.3f} ms without time advancing (model.md section 3)\n  the last one: {}, run on {} "
                      "(priority 0x{:X})\n  a callback that queues another event processable at once (for "
                      "instance one that reschedules itself) keeps the processing point busy forever\n",
                      LivelockGuard::kMaxCallbacksPerInstant, now_us() / 1000.0,
                      ev != nullptr ? events_.describe(*ev) : std::string(what), current()->name,
                      Scheduler::priority(current())));
}

// choose: asks the chooser; an out-of-range answer is taken as the default (option 0).
// With state matching (model.md section 7, "Pruning"), tie points carry the state's fingerprint, and
// the chooser may stop a run whose state another run has reached already.
std::size_t Kernel::choose(ChoiceKind kind, std::size_t count, std::span<const std::uint64_t> ids) {
  ChoicePoint point{kind, count, ids};
  Fingerprint state;
  if (wants_states_ && kind == ChoiceKind::thread_tie && chooser_->wants_state_here()) {
    StateHasher& h = hasher_;
    h.reset();
    h.u64(count);
    if (by_identity_) {
      // The options as a set: their order is the tie order, which by_identity leaves out
      // (fingerprint.cpp says why); every one of them is taken whatever its position.
      std::vector<std::uint64_t> sorted(ids.begin(), ids.end());
      std::sort(sorted.begin(), sorted.end());
      for (std::uint64_t id : sorted) h.u64(id);
    } else {
      for (std::uint64_t id : ids) h.u64(id);
    }
    if (fingerprint(h)) {
      state = h.digest();
      point.state = &state;
    }
  }
  std::size_t pick = chooser_->choose(point);
  if (pick == Chooser::kStop) stop_run();
  return pick < count ? pick : 0;
}

}  // namespace vmmsim::detail
