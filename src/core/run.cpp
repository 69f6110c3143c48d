// run.cpp: a run from start to end: thread fibers, the idle thread, and the five outcomes of
// model.md section 6 (finished, error, stuck, starved, time limit).
#include <fmt/format.h>

#include "core/kernel.hpp"
#include "diag/diagnosis.hpp"
#include "vxd/crash_guard.hpp"

namespace vmmsim::detail {

RunResult Kernel::run() {
  if (ran_) throw ServiceError("run: a Machine runs only once");
  ran_ = true;
  running_ = true;
  Kernel* outer = current_kernel();
  set_current_kernel(this);
  // The main context hands the CPU to the idle thread, whose loop schedules everything else.
  idle_->started = true;
  idle_->fiber.start(stacks_, &Kernel::thread_entry, idle_);
  scheduler_.start_run(idle_);
  if (annotating())
    for (const auto& t : threads_) annotate_thread(t.get());
  main_fiber_.switch_to(idle_->fiber);
  // Back on the main context: the run has ended. Unwind every fiber still alive.
  teardown_waits();
  kill_fibers();
  vxd::forget_guards(this);  // the recovery points on the fibers went with them
  // The end-of-run control messages (Sys_VM_Terminate, System_Exit, Sys_Critical_Exit), after the
  // last thread, in the VMM's shutdown order.
  drivers_.on_run_end(result_.outcome == Outcome::finished && !result_.stopped);
  running_ = false;
  set_current_kernel(outer);
  result_.end_ms = now_us() / 1000.0;
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
      k->drivers_.on_thread_start(t);  // Thread_Init in the new thread's context
      t->body();
      // model.md section 1: returning while owning the critical section or nested is an error.
      if (k->crit_.owner() == t)
        failure = fmt::format("{}: body returned while owning the critical section", t->name);
      else if (MUTEXHANDLE m = k->mutexes_.owned_by(t))
        failure = fmt::format("{}: body returned while owning mutex #{} (missing _LeaveMutex)", t->name, m);
      else if (t->nest_depth > 0)
        failure = fmt::format("{}: body returned inside nested execution (missing End_Nest_Exec)", t->name);
      if (failure.empty()) k->drivers_.on_thread_end(t);  // Terminate_Thread ... Destroy_VM
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
  Thread* t = current();
  if (ending_) t->fiber.exit_to(main_fiber_);
  scheduler_.finish_current();
  on_thread_finished(t);
  emit("finish", "finishes");
  Thread* next = nullptr;
  try {
    next = scheduler_.pick_next();
  } catch (const ThreadKilled&) {  // stop_run: the explorer stopped the run here
  }
  if (ending_) t->fiber.exit_to(main_fiber_);
  if (next == nullptr) next = idle_;
  scheduler_.hand_cpu_to(next, t);
  t->fiber.exit_to(next->fiber);
}

void Kernel::fail_run(std::string message, Outcome outcome) {
  if (ending_) return;
  ending_ = true;
  result_.outcome = outcome;
  result_.message = std::move(message);
  if (Thread* t = current(); t != nullptr && outcome == Outcome::error) {
    result_.error_context = at_interrupt_time()
                                ? fmt::format("in an interrupt handler, thread {} interrupted", t->name)
                                : fmt::format("on thread {}", t->name);
  }
}

void Kernel::fail_after_run(std::string message) {
  if (result_.outcome == Outcome::error) return;
  result_.outcome = Outcome::error;
  result_.message = std::move(message);
  result_.error_context = "after the last thread";
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
  current()->fiber.switch_to(main_fiber_);
  throw ThreadKilled{};  // resumed only to unwind
}

// stop_run: the explorer has seen this state in another run, whose continuation covers this one's.
void Kernel::stop_run() {
  result_.stopped = true;
  if (current()->finished()) {  // from finish_current: the body has returned
    if (!ending_) {
      ending_ = true;
      result_.outcome = Outcome::finished;
    }
    throw ThreadKilled{};  // unwinds the choice's frames; finish_current leaves the fiber
  }
  end_run(Outcome::finished, "");
}

// abandon_current: a thread whose binding cannot go on (its Lua state is gone) leaves without
// unwinding; the run is ending, so no list needs it any more.
void Kernel::abandon_current() {
  Thread* t = current();
  scheduler_.abandon(t);
  t->fiber.exit_to(main_fiber_);
}

void Kernel::kill_fibers() {
  for (auto& t : threads_) {
    if (!t->started || t->fiber.exited()) continue;
    t->killed = true;
    scheduler_.unwind_on(t.get());
    main_fiber_.switch_to(t->fiber);
  }
}

void Kernel::teardown_waits() {
  ids_.teardown();
  sems_.teardown();
  mutexes_.teardown();
  crit_.teardown();
}

// idle_loop: the idle thread "sys" (model.md section 1): it runs only when no other thread can,
// processes events like any other thread, and is where virtual time advances while the CPU idles.
void Kernel::idle_loop() {
  Thread* idle = idle_;
  if (!idle->killed && !ending_) drivers_.on_run_start();  // Sys_Critical_Init ... before anything runs
  for (;;) {
    if (idle->killed || ending_) idle->fiber.exit_to(main_fiber_);
    processing_point(Rotation::never);  // services events; switches to any eligible thread
    if (current() != idle) continue;
    if (scheduler_.best_eligible() != nullptr) continue;
    // DDK "Call_When_Idle": an idle period starts each time the idle thread gets the CPU back.
    if (events_.run_idle_callbacks(idle, scheduler_.switches())) continue;
    std::int64_t due = timers_.next_due();
    bool timed = timers_.one_shots_armed() > 0;  // model.md section 6: "something pending in time"
    if (!work_remains() && !timed) end_run(Outcome::finished, "");
    if (due == Timers::kNever) end_run(Outcome::stuck, "");
    if (!timed && work_remains()) {
      // model.md section 6: with only periodic interrupts left, stuck after starve_ms of idle CPU.
      std::int64_t give_up = scheduler_.idle_since_us() + scheduler_.starve_us();
      if (due > give_up) {
        if (give_up > max_time_us_) {
          advance(max_time_us_, idle, false);
          end_run(Outcome::time_limit, "");
        }
        advance(give_up, idle, false);
        end_run(Outcome::stuck, "");
      }
    }
    if (due > max_time_us_) {
      advance(max_time_us_, idle, false);
      end_run(Outcome::time_limit, "");
    }
    advance(due, idle, false);  // idle time is the System VM's execution time
    fire_due_timer();
  }
}

}  // namespace vmmsim::detail
