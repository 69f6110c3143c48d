// execution.cpp: what takes virtual time: ring-3 execution (ring3, hw_int, nested execution),
// and interrupts and time-outs firing inside it (model.md sections 2, 4 and 6).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/kernel.hpp"

namespace vmmsim::detail {

// fire_due_timer: fires the first item due at or before now. Items due at the same instant fire
// one at a time in creation order (the explorer may choose another); returns false if none is due.
bool Kernel::fire_due_timer() {
  std::vector<Timer*>& due = due_scratch_;
  timers_.due_now(due);
  if (due.empty()) return false;
  std::size_t pick = 0;
  if (due.size() > 1 && exploring()) {
    std::vector<std::uint64_t> ids;
    ids.reserve(due.size());
    for (const Timer* t : due) ids.push_back(t->seq);
    pick = choose(ChoiceKind::simultaneous, due.size(), ids);
  }
  Timer* timer = due[pick];
  timers_.disarm(*timer);
  if (timer->kind == TimerKind::interrupt)
    fire_interrupt(timers_.source(timer->ref));
  else
    events_.on_timer(timer->ref);
  return true;
}

void Kernel::fire_interrupt(InterruptSource& src) {
  if (src.period_us != 0 && (src.remaining < 0 || --src.remaining > 0)) {
    src.nominal_us += src.period_us;  // jitter delays one firing, not the ones after it
    timers_.arm(src.timer, jittered(src.nominal_us), src.timer.seq);
  }
  emit("irq", fmt::format("interrupt{}", src.period_us ? fmt::format(" (every {:.3f} ms)", src.period_us / 1000.0) : ""));
  // No copy: sources_ is a deque that only grows, so src.handler stays put while the handler adds
  // interrupts; and a copy on this frame would leak when a binding abandons the fiber inside it.
  call_at_interrupt_time(src.handler, "an interrupt handler");
}

// jittered: with --jitter, an interrupt or a time-out due at due_us may arrive late by 0, 1, 2 ...
// ms up to jitter_us (model.md section 3: the real VMM's time-outs are late by up to a timer tick).
std::int64_t Kernel::jittered(std::int64_t due_us) {
  std::int64_t max = space_.jitter_us;
  if (max <= 0 || !exploring()) return due_us;
  std::int64_t steps = (max + kJitterStepUs - 1) / kJitterStepUs;  // the last step is max itself
  std::size_t pick = choose(ChoiceKind::jitter, static_cast<std::size_t>(steps) + 1);
  return due_us + std::min(static_cast<std::int64_t>(pick) * kJitterStepUs, max);
}

// advance: the clock moves to t_us while t executes; counts_slice: ring-3 time that uses its slice.
void Kernel::advance(std::int64_t t_us, Thread* t, bool counts_slice) {
  if (t_us <= now_us()) return;
  std::int64_t delta = t_us - now_us();
  if (counts_slice) scheduler_.count_slice(t, delta);
  t->exec_us_ += delta;  // Set_Thread_Time_Out / Set_VM_Time_Out count execution time
  t->vm->exec_us_ += delta;
  timers_.advance_to(t_us);
}

void Kernel::call_at_interrupt_time(const std::function<void()>& fn, const char* what) {
  ++interrupt_depth_;
  std::string failure;
  try {
    fn();
  } catch (const ThreadKilled&) {
    --interrupt_depth_;
    throw;
  } catch (const ScenarioError& e) {
    failure = e.what();
  } catch (const std::exception& e) {
    failure = fmt::format("in {}: {}", what, e.what());
  } catch (...) {
    failure = fmt::format("in {}: an exception that is not a std::exception", what);
  }
  bool failed = !failure.empty();
  if (failed) fail_run(std::move(failure));  // still at interrupt time: the error's context says so
  --interrupt_depth_;
  if (failed) throw ThreadKilled{};
}

// run_timed: the current thread executes ring-3 code for duration_us. Interrupts, time-outs and
// slice ends arriving meanwhile are each followed by a processing point (model.md section 4),
// where the thread may be switched away; the rest of its execution continues when it runs again.
void Kernel::run_timed(std::int64_t duration_us, ExecKind kind) {
  Thread* t = current();
  Executing outer_exec = t->executing;
  t->executing = static_cast<Executing>(static_cast<std::uint8_t>(kind) + 1);
  struct Restore {
    Thread* t;
    Executing v;
    ~Restore() { t->executing = v; }
  } restore{t, outer_exec};
  std::int64_t remaining = duration_us;
  bool slices = kind == ExecKind::ring3 && t->nest_depth == 0 && t->hw_depth == 0;
  for (;;) {
    std::int64_t end = now_us() + remaining;
    std::int64_t stop = end;
    enum class Why { done, timer, slice } why = Why::done;
    std::int64_t due = timers_.next_due();
    if (due <= stop) {  // due at or before the end: fires inside (model.md section 6)
      stop = std::max(due, now_us());
      why = Why::timer;
    }
    // One look at the eligible threads serves the slice end and the starvation deadline.
    Thread* best = (slices || events_.work_remains()) ? scheduler_.best_eligible() : nullptr;
    std::int64_t slice_us = scheduler_.time_slice_us();
    if (slices && slice_us > 0 && best != nullptr && Scheduler::priority(best) == Scheduler::priority(t)) {
      std::int64_t slice_end = now_us() + std::max<std::int64_t>(0, slice_us - t->slice_used_us());
      if (slice_end < stop) {  // a slice running out exactly at the end rotates at the next ring3
        stop = slice_end;
        why = Why::slice;
      }
    }
    // The exact starvation deadline is found only once time reaches its bound (Scheduler::starvation_bound).
    if (scheduler_.starvation_bound() < stop) {
      std::int64_t starve_at = scheduler_.starvation_deadline(nullptr);
      if (starve_at < stop) {
        advance(starve_at, t, slices);
        end_run(Outcome::starved, "");
      }
    }
    if (max_time_us_ < stop) {
      advance(max_time_us_, t, slices);
      end_run(Outcome::time_limit, "");
    }
    advance(stop, t, slices);
    remaining = end - now_us();
    if (why == Why::done) return;
    if (why == Why::timer) fire_due_timer();
    std::uint64_t switches_before = scheduler_.switches();
    processing_point(slices ? Rotation::allowed : Rotation::never);
    // A slice end that rotated nothing (the equal-priority thread stopped being eligible when
    // events ran) is not retried until this execution ends.
    if (why == Why::slice && scheduler_.switches() == switches_before) slices = false;
  }
}

void Kernel::ring3(double ms) {
  const char* service = "ring3";
  check_ring3_entered(service);  // the boundary has checked the run (core/services.cpp)
  std::int64_t duration = duration_us(service, "duration", ms);
  Thread* t = current();
  if (t->servicing)
    throw ServiceError(fmt::format("{}: {} is blocked servicing events; it runs no ring-3 code until its wait "
                                   "ends (model.md section 2)", service, t->name));
  // model.md section 4, point 1
  processing_point(t->nest_depth == 0 && t->hw_depth == 0 ? Rotation::allowed : Rotation::never);
  run_timed(duration, ExecKind::ring3);
}

void Kernel::hw_int(double ms) {
  const char* service = "hw_int";
  check_ring3(service);
  std::int64_t duration = duration_us(service, "duration", ms);
  Thread* t = current();
  ++t->hw_depth;
  emit("hw_int", fmt::format("enters a simulated hardware interrupt for {:.3f} ms", ms));
  try {
    processing_point(Rotation::never);  // the ring-3 entry at its start is a processing point inside it
    run_timed(duration, ExecKind::hw_int);
  } catch (...) {
    --t->hw_depth;
    throw;
  }
  --t->hw_depth;  // its end is not a processing point (model.md section 4)
  emit("hw_int_end", "leaves the simulated hardware interrupt");
}

void Kernel::begin_nest_exec() {
  const char* service = "Begin_Nest_Exec";
  check_ring3(service);
  ++current()->nest_depth;
  emit("nest", fmt::format("Begin_Nest_Exec (depth {})", current()->nest_depth));
}

void Kernel::resume_exec(const char* service, double ms, int interrupt) {
  check_ring3(service);
  std::int64_t duration = duration_us(service, "duration", ms);
  if (current()->nest_depth == 0)
    throw ServiceError(fmt::format("{}: not inside a nested execution block (call Begin_Nest_Exec first)",
                                   service));
  if (interrupt >= 0 && logging()) emit("exec_int", fmt::format("Exec_Int 0x{:X}", interrupt));
  processing_point(Rotation::never);  // model.md section 4, point 2; never rotated for an equal priority
  run_timed(duration, ExecKind::nested);
}

void Kernel::end_nest_exec() {
  const char* service = "End_Nest_Exec";
  check_thread_context(service);
  if (current()->nest_depth == 0)
    throw ServiceError(fmt::format("{}: no matching Begin_Nest_Exec", service));
  --current()->nest_depth;
  emit("nest", fmt::format("End_Nest_Exec (depth {})", current()->nest_depth));
}

void Kernel::set_if(bool enabled) {
  const char* service = enabled ? "sti" : "cli";
  check_running(service);
  set_if_flag(current(), enabled);
}

void Kernel::set_pm(bool pm) {
  check_running("set_pm");
  current()->pm = pm;
}

void Kernel::set_v86_ints_locked(bool locked) {
  check_running("set_v86_ints_locked");
  current()->vm->v86_ints_locked = locked;
}

void Kernel::user_log(const std::string& text) {
  check_running("log");
  emit("log", text);
}

}  // namespace vmmsim::detail
