// run.cpp: a run from start to end: thread fibers, the idle thread, and the five outcomes of
// model.md section 6 (finished, error, stuck, starved, time limit).
#include <fmt/format.h>

#include "core/kernel.hpp"
#include "diag/diagnosis.hpp"

namespace vmmsim::detail {

RunResult Kernel::run() {
  if (ran_) throw ServiceError("run: a Machine runs only once");
  ran_ = true;
  running_ = true;
  Kernel* outer = current_kernel();
  set_current_kernel(this);
  current_ = nullptr;
  // The main context hands the CPU to the idle thread, whose loop schedules everything else.
  idle_->started = true;
  idle_->fiber.start(stacks_, &Kernel::thread_entry, idle_);
  current_ = idle_;
  idle_->state = ThreadState::running;
  idle_since_us_ = 0;
  main_fiber_.switch_to(idle_->fiber);
  // Back on the main context: the run has ended. Unwind every fiber still alive.
  teardown_waits();
  kill_fibers();
  running_ = false;
  current_ = nullptr;
  set_current_kernel(outer);
  result_.end_ms = now_us_ / 1000.0;
  return result_;
}

void Kernel::thread_entry(void* arg) {
  auto* t = static_cast<Thread*>(arg);
  Kernel* k = current_kernel();
  if (t->idle) {
    try {
      k->idle_loop();
    } catch (const ThreadKilled&) {
    }
    t->fiber.exit_to(k->main_fiber_);
  }
  std::string failure;
  try {
    if (!t->killed) {
      k->emit("start", "starts");
      t->body();
      // model.md section 1: returning while owning the critical section or nested is an error.
      if (k->crit_.owner == t)
        failure = fmt::format("{}: body returned while owning the critical section", t->name);
      else if (t->nest_depth > 0)
        failure = fmt::format("{}: body returned inside nested execution (missing End_Nest_Exec)", t->name);
    }
  } catch (const ThreadKilled&) {
  } catch (const ScenarioError& e) {
    failure = e.what();
  } catch (const ServiceError& e) {
    failure = fmt::format("{}: {}", t->name, e.what());
  } catch (const std::exception& e) {
    failure = fmt::format("{}: {}", t->name, e.what());
  } catch (...) {
    failure = fmt::format("{}: the body threw an exception that is not a std::exception", t->name);
  }
  if (!failure.empty()) k->fail_run(std::move(failure));
  k->finish_current();
}

void Kernel::finish_current() {
  Thread* t = current_;
  if (ending_) t->fiber.exit_to(main_fiber_);
  t->state = ThreadState::finished;
  --t->vm->live_threads;
  if (!t->if_flag) --t->vm->threads_if_clear;
  --unfinished_;
  emit("finish", "finishes");
  Thread* next = nullptr;
  try {
    next = pick_next();
  } catch (const ThreadKilled&) {  // stop_run: the explorer stopped the run here
  }
  if (ending_) t->fiber.exit_to(main_fiber_);
  if (next == nullptr) next = idle_;
  hand_cpu_to(next, t);
  t->fiber.exit_to(next->fiber);
}

void Kernel::fail_run(std::string message) {
  if (ending_) return;
  ending_ = true;
  result_.outcome = Outcome::error;
  result_.message = std::move(message);
}

// end_run: the run is over; the outcome is decided here and the main context takes over.
void Kernel::end_run(Outcome outcome, std::string message) {
  if (!ending_) {
    ending_ = true;
    result_.outcome = outcome;
    if (outcome == Outcome::stuck || outcome == Outcome::starved)
      result_.message = message.empty() ? Diagnosis(*this).render(outcome) : std::move(message);
    else if (outcome == Outcome::time_limit)
      result_.message = fmt::format("time_limit: max_time {:.3f} ms reached", max_time_us_ / 1000.0);
    else
      result_.message = std::move(message);
  }
  current_->fiber.switch_to(main_fiber_);
  throw ThreadKilled{};  // resumed only to unwind
}

// stop_run: the explorer has seen this state in another run, whose continuation covers this one's.
void Kernel::stop_run() {
  result_.stopped = true;
  if (current_->state == ThreadState::finished) {  // from finish_current: the body has returned
    if (!ending_) {
      ending_ = true;
      result_.outcome = Outcome::finished;
    }
    throw ThreadKilled{};  // unwinds the choice's frames; finish_current leaves the fiber
  }
  end_run(Outcome::finished, "");
}

void Kernel::abandon_current() {
  Thread* t = current_;
  t->state = ThreadState::finished;
  t->fiber.exit_to(main_fiber_);
}

void Kernel::kill_fibers() {
  for (auto& t : threads_) {
    if (!t->started || t->fiber.exited()) continue;
    t->killed = true;
    current_ = t.get();
    main_fiber_.switch_to(t->fiber);
  }
}

bool Kernel::work_remains() const { return unfinished_ > 0 || events_pending_ > 0; }

// idle_loop: the idle thread "sys" (model.md section 1): it runs only when no other thread can,
// processes events like any other thread, and is where virtual time advances while the CPU idles.
void Kernel::idle_loop() {
  Thread* idle = idle_;
  for (;;) {
    if (idle->killed || ending_) idle->fiber.exit_to(main_fiber_);
    processing_point(false);  // services events; switches to any eligible thread
    if (current_ != idle) continue;
    if (best_eligible() != nullptr) continue;
    std::int64_t due = timers_.next_due();
    while (!timers_.empty() && !timer_item_live(timers_.top())) {
      timers_.pop();
      due = timers_.next_due();
    }
    if (!work_remains() && timed_pending_ == 0) end_run(Outcome::finished, "");
    if (due == TimerQueue::kNever) end_run(Outcome::stuck, "");
    if (timed_pending_ == 0 && work_remains()) {
      // model.md section 6: with only periodic interrupts left, stuck after starve_ms of idle CPU.
      std::int64_t give_up = idle_since_us_ + starve_us_;
      if (due > give_up) {
        if (give_up > max_time_us_) {
          now_us_ = max_time_us_;
          end_run(Outcome::time_limit, "");
        }
        now_us_ = std::max(now_us_, give_up);
        end_run(Outcome::stuck, "");
      }
    }
    if (due > max_time_us_) {
      now_us_ = max_time_us_;
      end_run(Outcome::time_limit, "");
    }
    now_us_ = std::max(now_us_, due);
    fire_due_timer();
  }
}

}  // namespace vmmsim::detail
