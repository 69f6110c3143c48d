// execution.cpp: what takes virtual time: ring-3 execution (ring3, hw_int, nested execution),
// and interrupts and time-outs firing inside it (model.md sections 2, 4 and 6).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/kernel.hpp"

namespace vmmsim::detail {

bool Kernel::timer_item_live(const TimerItem& item) const {
  if (item.kind == TimerKind::interrupt) return true;
  const Event* ev = lookup_event(item.ref);
  return ev != nullptr && !ev->timed_out && ev->deadline_us == item.due_us;
}

// fire_due_timer: fires the first item due at or before now. Items due at the same instant fire
// one at a time in creation order (the explorer may choose another); returns false if none is due.
bool Kernel::fire_due_timer() {
  while (!timers_.empty() && !timer_item_live(timers_.top())) timers_.pop();
  if (timers_.empty() || timers_.top().due_us > now_us_) return false;
  TimerItem item = timers_.top();
  timers_.pop();
  if (exploring()) {
    std::vector<TimerItem> same{item};
    while (!timers_.empty() && timers_.top().due_us == item.due_us) {
      if (timer_item_live(timers_.top())) same.push_back(timers_.top());
      timers_.pop();
    }
    std::size_t pick = 0;
    if (same.size() > 1) {
      std::vector<std::uint64_t> ids;
      for (const TimerItem& s : same) ids.push_back(s.seq);
      pick = choose(ChoiceKind::simultaneous, same.size(), ids);
    }
    item = same[pick];
    for (std::size_t i = 0; i < same.size(); ++i)
      if (i != pick) timers_.push(same[i]);
  }
  switch (item.kind) {
    case TimerKind::interrupt: {
      InterruptSource& src = interrupts_[item.ref];
      if (src.period_us == 0) {
        --timed_pending_;
      } else if (src.remaining < 0 || --src.remaining > 0) {
        src.nominal_us += src.period_us;  // jitter delays one firing, not the ones after it
        timers_.push({jittered(src.nominal_us), src.seq, TimerKind::interrupt, item.ref});
      }
      emit("irq", fmt::format("interrupt{}", src.period_us ? fmt::format(" (every {:.3f} ms)", src.period_us / 1000.0) : ""));
      ++interrupt_depth_;
      InterruptHandler handler = src.handler;  // the handler may add interrupts (reallocating)
      std::string failure;
      try {
        handler();
      } catch (const ThreadKilled&) {
        --interrupt_depth_;
        throw;
      } catch (const ScenarioError& e) {
        failure = e.what();
      } catch (const std::exception& e) {
        failure = fmt::format("in an interrupt handler: {}", e.what());
      } catch (...) {
        failure = "in an interrupt handler: an exception that is not a std::exception";
      }
      --interrupt_depth_;
      if (!failure.empty()) {
        fail_run(std::move(failure));
        throw ThreadKilled{};
      }
      break;
    }
    case TimerKind::event_timeout:
    case TimerKind::global_timeout:
      time_out_event(lookup_event(item.ref));
      break;
  }
  return true;
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

void Kernel::advance_to(std::int64_t t_us, Thread* t, bool count_slice) {
  if (t_us <= now_us_) return;
  if (count_slice) t->slice_used_us += t_us - now_us_;
  now_us_ = t_us;
}

// run_timed: the current thread executes ring-3 code for duration_us. Interrupts, time-outs and
// slice ends arriving meanwhile are each followed by a processing point (model.md section 4),
// where the thread may be switched away; the rest of its execution continues when it runs again.
void Kernel::run_timed(std::int64_t duration_us, ExecKind kind) {
  Thread* t = current_;
  std::uint8_t outer_exec = t->executing;
  t->executing = static_cast<std::uint8_t>(kind) + 1;
  struct Restore {
    Thread* t;
    std::uint8_t v;
    ~Restore() { t->executing = v; }
  } restore{t, outer_exec};
  std::int64_t remaining = duration_us;
  bool slices = kind == ExecKind::ring3 && t->nest_depth == 0 && t->hw_depth == 0;
  for (;;) {
    std::int64_t end = now_us_ + remaining;
    std::int64_t stop = end;
    enum class Why { done, timer, slice } why = Why::done;
    std::int64_t due = timers_.next_due();
    if (due <= stop) {  // due at or before the end: fires inside (model.md section 6)
      stop = std::max(due, now_us_);
      why = Why::timer;
    }
    // One look at the eligible threads serves the slice end and the starvation deadline.
    Thread* best = (slices || events_pending_ > 0) ? best_eligible() : nullptr;
    if (slices && time_slice_us_ > 0 && best != nullptr && priority(best) == priority(t)) {
      std::int64_t slice_end = now_us_ + std::max<std::int64_t>(0, time_slice_us_ - t->slice_used_us);
      if (slice_end < stop) {  // a slice running out exactly at the end rotates at the next ring3
        stop = slice_end;
        why = Why::slice;
      }
    }
    Thread* victim = nullptr;
    std::int64_t starve_at = starvation_deadline(&victim);
    if (starve_at < stop) {
      advance_to(starve_at, t, slices);
      end_run(Outcome::starved, "");
    }
    if (max_time_us_ < stop) {
      advance_to(max_time_us_, t, slices);
      end_run(Outcome::time_limit, "");
    }
    advance_to(stop, t, slices);
    remaining = end - now_us_;
    if (why == Why::done) return;
    if (why == Why::timer) fire_due_timer();
    std::uint64_t switches_before = switches_;
    processing_point(slices);
    // A slice end that rotated nothing (the equal-priority thread stopped being eligible when
    // events ran) is not retried until this execution ends.
    if (why == Why::slice && switches_ == switches_before) slices = false;
  }
}

void Kernel::ring3(double ms) {
  const char* service = "ring3";
  check_ring3(service);
  std::int64_t duration = duration_us(service, "duration", ms);
  Thread* t = current_;
  if (t->servicing)
    throw ServiceError(fmt::format("{}: {} is blocked servicing events; it runs no ring-3 code until its wait "
                                   "ends (model.md section 2)", service, t->name));
  processing_point(t->nest_depth == 0 && t->hw_depth == 0);  // model.md section 4, point 1
  run_timed(duration, ExecKind::ring3);
}

void Kernel::hw_int(double ms) {
  const char* service = "hw_int";
  check_ring3(service);
  std::int64_t duration = duration_us(service, "duration", ms);
  Thread* t = current_;
  ++t->hw_depth;
  emit("hw_int", fmt::format("enters a simulated hardware interrupt for {:.3f} ms", ms));
  try {
    processing_point(false);  // the ring-3 entry at its start is a processing point inside it
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
  ++current_->nest_depth;
  emit("nest", fmt::format("Begin_Nest_Exec (depth {})", current_->nest_depth));
}

void Kernel::resume_exec(const char* service, double ms, int interrupt) {
  check_ring3(service);
  std::int64_t duration = duration_us(service, "duration", ms);
  if (current_->nest_depth == 0)
    throw ServiceError(fmt::format("{}: not inside a nested execution block (call Begin_Nest_Exec first)",
                                   service));
  if (interrupt >= 0 && logging()) emit("exec_int", fmt::format("Exec_Int 0x{:X}", interrupt));
  processing_point(false);  // model.md section 4, point 2; never rotated for an equal priority
  run_timed(duration, ExecKind::nested);
}

void Kernel::end_nest_exec() {
  const char* service = "End_Nest_Exec";
  check_thread_context(service);
  if (current_->nest_depth == 0)
    throw ServiceError(fmt::format("{}: no matching Begin_Nest_Exec", service));
  --current_->nest_depth;
  emit("nest", fmt::format("End_Nest_Exec (depth {})", current_->nest_depth));
}

void Kernel::set_if(bool enabled) {
  const char* service = enabled ? "sti" : "cli";
  check_running(service);
  Thread* t = current_;
  if (t->if_flag == enabled) return;
  t->if_flag = enabled;
  t->vm->threads_if_clear += enabled ? -1 : 1;
}

void Kernel::set_pm(bool pm) {
  check_running("set_pm");
  current_->pm = pm;
}

void Kernel::set_v86_ints_locked(bool locked) {
  check_running("set_v86_ints_locked");
  current_->vm->v86_ints_locked = locked;
}

void Kernel::user_log(const std::string& text) {
  check_running("log");
  emit("log", text);
}

}  // namespace vmmsim::detail
