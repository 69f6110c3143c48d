// kernel.hpp: the simulated VMM. One Kernel per Machine: the composition of the subsystems, each a
// class that owns its state, and the order in which a processing point consults them.
//
//   clock/timers         the virtual clock, interrupts, everything due at a time
//   scheduler/scheduler  who holds the CPU: ready queue, ties, slices, priorities, thread states,
//                        VM suspension (seed 000)
//   events/event_queues  events, boosts they hold, restrictions, time-outs, Call_When_* (seeds 001, 003)
//   sync/wait            the one blocking primitive; sync/block_ids, sync/semaphores, sync/mutexes
//                        and sync/critical_section are the objects that sit on it (seed 002)
//   diag/diagnosis       the stuck / starved account, read-only over the others
//
// The Kernel itself owns the threads and VMs (each subsystem writes only its own part of them, see
// core/thread.hpp), the fibers, the run's outcome, the log and the chooser.
//
// Execution model. Every simulated thread runs on its own fiber (fiber/). Control passes between
// fibers only in Scheduler::switch_to(), which the running thread calls at a scheduling point
// (model.md section 2): at an event processing point, when it blocks, suspends its own VM, or
// finishes. Virtual time advances only inside run_timed() (ring3, hw_int, nested execution) and in
// the idle thread; interrupts and time-outs fire there, each followed by a processing point.
//
// Files: core/kernel.cpp (set-up, checks, log, processing points, choice points), core/execution.cpp
// (what takes virtual time), core/run.cpp (a run from start to end), core/fingerprint.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "clock/timers.hpp"
#include "core/thread.hpp"
#include "core/vm.hpp"
#include "events/event_queues.hpp"
#include "events/livelock.hpp"
#include "fiber/fiber.hpp"
#include "fiber/stack_pool.hpp"
#include "scheduler/scheduler.hpp"
#include "sync/block_ids.hpp"
#include "sync/critical_section.hpp"
#include "sync/mutexes.hpp"
#include "sync/semaphores.hpp"
#include "sync/wait.hpp"
#include "vxd/drivers.hpp"
#include "util/assert.hpp"
#include "vmmsim/chooser.hpp"
#include "vmmsim/log.hpp"
#include "vmmsim/machine.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

// Rotation: whether a processing point may rotate the CPU to an equal-priority thread whose slice
// has come (model.md section 2: only ring-3 execution outside nested execution).
enum class Rotation : bool { never, allowed };

class Kernel {
 public:
  explicit Kernel(Config config);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // --- set-up (core/kernel.cpp) ---
  void configure(const Config& config);
  const Config& config() const { return config_; }
  Thread* create_thread(std::string name, Body body, Priority priority, VM* vm, CpuMode mode);
  VM* create_vm(std::string name, Body body, Priority priority, CpuMode mode);
  void add_interrupt(double at_ms, double period_ms, std::int64_t count, InterruptHandler handler);
  void set_log(LogSink* sink) {
    sink_ = sink;
    annotate_ = sink != nullptr && sink->wants_annotations();
  }
  void set_chooser(Chooser* chooser);
  void set_user_state(UserState* user) { user_ = user; }
  void set_interrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }
  Machine* machine = nullptr;  // the public facade that owns this kernel

  // --- the run (core/run.cpp) ---
  RunResult run();
  // thread_entry: where every thread's fiber starts (Scheduler::hand_cpu_to starts it).
  static void thread_entry(void* arg);
  [[noreturn]] void abandon_current();
  [[noreturn]] void end_run(Outcome outcome, std::string message);
  // fail_run: a scenario error ends the run (the caller unwinds with ThreadKilled).
  // (With another outcome: a binding's limit, such as the Lua step limit, ended the run.)
  void fail_run(std::string message, Outcome outcome = Outcome::error);
  bool running() const { return running_; }
  bool ending() const { return ending_; }
  // fail_after_run: what goes wrong after the last thread (a driver's System_Exit) makes the run's
  // outcome an error, unless it already is one.
  void fail_after_run(std::string message);

  // --- what every subsystem may ask ---
  VM* sys_vm() const { return sys_vm_; }
  Thread* idle_thread() const { return idle_; }
  Thread* current() const { return scheduler_.current(); }
  std::int64_t now_us() const { return timers_.now_us(); }
  bool at_interrupt_time() const { return interrupt_depth_ > 0; }
  const std::vector<std::unique_ptr<Thread>>& threads() const { return threads_; }
  const std::vector<std::unique_ptr<VM>>& vms() const { return vms_; }
  Scheduler& scheduler() { return scheduler_; }
  const Scheduler& scheduler() const { return scheduler_; }
  EventQueues& events() { return events_; }
  const EventQueues& events() const { return events_; }
  Timers& timers() { return timers_; }
  Waits& waits() { return waits_; }
  BlockIds& block_ids() { return ids_; }
  const BlockIds& block_ids() const { return ids_; }
  Semaphores& semaphores() { return sems_; }
  const Semaphores& semaphores() const { return sems_; }
  Mutexes& mutexes() { return mutexes_; }
  Drivers& drivers() { return drivers_; }
  const Drivers& drivers() const { return drivers_; }
  const Mutexes& mutexes() const { return mutexes_; }
  CriticalSection& crit() { return crit_; }
  const CriticalSection& crit() const { return crit_; }
  LivelockGuard& livelock() { return livelock_; }
  const LivelockGuard& livelock() const { return livelock_; }
  const RecentServices& recent_services() const { return recent_; }
  const Timers& timers() const { return timers_; }
  StackPool& stacks() { return stacks_; }
  Fiber& main_fiber() { return main_fiber_; }

  // check_*: service preconditions; each throws ServiceError naming the service, and notes the
  // service for an internal error's report (util/assert.hpp).
  // check_running: the run is on and a thread holds the CPU. The services on the hot paths (the
  // event services, _BlockOnID, _SignalID, ring3) check it once, at their boundary in
  // core/services.cpp, and inside use the *_entered forms, which trust it; the others check it
  // inside (check_thread_context and the rest begin with it).
  void check_running(const char* service) {
    recent_.note(service);
    if (!running_ || current() == nullptr) [[unlikely]] refuse_not_running(service);
  }
  // check_setup_or_running: objects a VxD makes at Device_Init may be made before the run, too.
  void check_setup_or_running(const char* service);
  void check_thread_context(const char* service) {  // not at interrupt time
    check_running(service);
    if (interrupt_depth_ > 0) [[unlikely]] refuse_at_interrupt_time(service);
  }
  void check_may_block(const char* service) {
    check_running(service);
    check_may_block_entered(service);
  }
  void check_ring3(const char* service) {
    check_running(service);
    check_ring3_entered(service);
  }
  // check_may_block_entered / check_ring3_entered: check_may_block and check_ring3 after the
  // boundary's check_running: not at interrupt time, not in a PEF_Ring0_Event callback, not the
  // idle thread (each refusal names its rule).
  void check_may_block_entered(const char* service) {
    const Thread* cur = current();
    if (interrupt_depth_ > 0 || cur->ring0_depth > 0 || cur->idle) [[unlikely]] refuse_block(service);
  }
  void check_ring3_entered(const char* service) {
    const Thread* cur = current();
    if (interrupt_depth_ > 0 || cur->ring0_depth > 0 || cur->idle) [[unlikely]] refuse_ring3(service);
  }
  Thread* check_thread(const char* service, Thread* t) const;
  VM* check_vm(const char* service, VM* vm) const;
  // duration_us: a service's time argument in µs; not finite, negative or above kMaxMs is an error
  // (NaN fails both comparisons).
  static std::int64_t duration_us(const char* service, const char* what, double ms) {
    if (!(ms >= 0 && ms <= kMaxMs)) [[unlikely]] refuse_duration(service, what, ms);
    return to_us(ms);
  }
  // to_us: ms in whole µs, rounded half away from zero exactly as std::llround rounds, without its
  // library call (every ring3 converts one): the integer part, plus one when the rest is at least
  // a half. The rest is exact: x - trunc(x) never rounds (Sterbenz), for |x| below 2^63.
  static std::int64_t to_us(double ms) {
    double us = ms * 1000.0;
    auto whole = static_cast<std::int64_t>(us);
    double rest = us - static_cast<double>(whole);
    return rest >= 0.5 ? whole + 1 : rest <= -0.5 ? whole - 1 : whole;
  }
  static constexpr double kMaxMs = kMaxDurationMs;

  // set_if: the only writer of a thread's interrupt flag (it keeps its VM's count of clear flags).
  void set_if_flag(Thread* t, bool enabled);
  void on_thread_finished(Thread* t);

  [[gnu::cold]] void mute_log();
  [[noreturn, gnu::cold]] void end_callback_livelock(const char* what, const Event* ev);
  // invoke_failed: the callback invoke ran threw (the current exception): the run ends with it.
  [[noreturn, gnu::cold]] void invoke_failed();
  // The refusals of the inline checks above, out of line (they format messages).
  [[noreturn, gnu::cold]] static void refuse_not_running(const char* service);
  [[noreturn, gnu::cold]] static void refuse_at_interrupt_time(const char* service);
  [[noreturn, gnu::cold]] void refuse_block(const char* service) const;
  [[noreturn, gnu::cold]] void refuse_ring3(const char* service) const;
  [[noreturn, gnu::cold]] static void refuse_duration(const char* service, const char* what, double ms);

  // --- the log (core/kernel.cpp) ---
  bool logging() const { return sink_ != nullptr && !livelock_.muted(); }
  void emit(const char* kind, std::string text, std::vector<LogField> fields = {});
  // annotating / annotate: the records for the machine-readable outputs only (LogRecord::annotation);
  // callers test annotating() before building one, as for logging().
  bool annotating() const { return annotate_ && logging(); }
  void annotate(const char* kind, std::string text, std::vector<LogField> fields);
  // annotate_thread: a "thread" record: its name, VM and base priority (at the run's start and on create).
  void annotate_thread(const Thread* t);
  // annotate_priority: a "priority" record: t's priority changed while it was not the current thread.
  void annotate_priority(const Thread* t);

  // --- processing points and choice points (core/kernel.cpp) ---
  // processing_point: model.md section 4 for the current thread.
  void processing_point(Rotation rotation);
  // invoke: runs a callback; a failure ends the run (ScenarioError) and unwinds.
  void invoke(const EventCallback& cb, const EventContext& ctx);
  // count_callback: the zero-time livelock rule (model.md section 3) for the callback about to run:
  // the event ev, or the callback what names.
  // (Inline: on every callback; the muting and the livelock's ending are out of line.)
  void count_callback(const char* what, const Event* ev = nullptr) {
    livelock_.at(now_us());
    if (livelock_.mute_now()) [[unlikely]] mute_log();
    if (livelock_.callback()) [[unlikely]] end_callback_livelock(what, ev);
  }
  // The explorer's choice points (model.md section 7): exploring() is false in the default run.
  bool exploring() const { return chooser_ != nullptr && chooser_->active(); }
  const ChoiceSpace& space() const { return space_; }
  std::size_t choose(ChoiceKind kind, std::size_t count, std::span<const std::uint64_t> ids = {});
  // call_at_interrupt_time: fn runs at interrupt time (an interrupt handler, a Set_Async_Time_Out
  // callback); a failure ends the run (what names it) and unwinds.
  void call_at_interrupt_time(const std::function<void()>& fn, const char* what);
  // jittered: with --jitter, when an item due at due_us arrives (core/execution.cpp).
  std::int64_t jittered(std::int64_t due_us);
  std::int64_t max_time_us() const { return max_time_us_; }

  // --- thread actions (core/execution.cpp) ---
  void ring3(double ms);
  void hw_int(double ms);
  void begin_nest_exec();
  void resume_exec(const char* name, double ms, int interrupt);
  void end_nest_exec();
  void set_if(bool enabled);
  void set_pm(bool pm);
  void set_v86_ints_locked(bool locked);
  void user_log(const std::string& text);

  // check_invariants: at every processing point (core/invariants.cpp says what is checked). The
  // always-on part is inline: a few loads on the hottest path there is.
  void check_invariants() {
    const Thread* cur = current();
    VMMSIM_VERIFY(cur == nullptr || (cur->state() == ThreadState::running && !cur->in_ready_queue()),
                  "invariant: the current thread {} runs and waits in no queue", cur->name);
    VMMSIM_VERIFY((crit_.owner() != nullptr) == (crit_.claims() > 0) &&
                      (crit_.owner() == nullptr || !crit_.owner()->finished()),
                  "invariant: the critical section has {} claim(s) and {}", crit_.claims(),
                  crit_.owner() != nullptr ? "owner " + crit_.owner()->name : std::string("no owner"));
    check_invariant_walks();  // out of line: whether it walks is decided where VMMSIM_ASSERTIONS is known
  }

  // fingerprint: the whole state, or false when it cannot be described exactly here (fingerprint.cpp).
  bool fingerprint(StateHasher& h);

 private:
  void record(const char* kind, std::string text, std::vector<LogField> fields, bool annotation);
  enum class ExecKind : std::uint8_t { ring3, hw_int, nested };

  // execution.cpp
  void run_timed(std::int64_t duration_us, ExecKind kind);
  void advance(std::int64_t t_us, Thread* t, bool counts_slice);
  bool fire_due_timer();
  void fire_interrupt(InterruptSource& src);
  // run.cpp
  [[noreturn]] void finish_current();
  [[noreturn]] void idle_loop();
  [[noreturn]] void stop_run();  // the chooser answered Chooser::kStop
  bool work_remains() const { return unfinished_ > 0 || events_.work_remains(); }
  void kill_fibers();
  void teardown_waits();
  // fingerprint.cpp
  bool clean_site() const;
  bool write_state(StateHasher& h);
  const std::atomic<bool>* interrupt_ = nullptr;  // Machine::set_interrupt
  // invariants.cpp
  void check_invariant_walks();
  void check_boost_ledger();
  std::uint64_t invariant_points_ = 0;

  Config config_;
  std::int64_t max_time_us_ = 60000000;

  // Subsystems (declared before what they refer to is destroyed: threads and VMs come last). The
  // drivers' shared objects are unloaded last of all: events and fibers may point into their code.
  Drivers drivers_{*this};
  Timers timers_;
  Scheduler scheduler_{*this};
  EventQueues events_{*this};
  Waits waits_{*this};
  BlockIds ids_{*this};
  Semaphores sems_{*this};
  Mutexes mutexes_{*this};
  CriticalSection crit_{*this};
  LivelockGuard livelock_;
  RecentServices recent_;

  std::vector<std::unique_ptr<VM>> vms_;
  std::vector<std::unique_ptr<Thread>> threads_;
  VM* sys_vm_ = nullptr;
  Thread* idle_ = nullptr;
  Fiber main_fiber_;
  StackPool stacks_;

  int interrupt_depth_ = 0;
  std::vector<Timer*> due_scratch_;  // fire_due_timer's list, kept between calls

  // run state
  LogSink* sink_ = nullptr;
  bool annotate_ = false;  // the sink wants annotation records
  Chooser* chooser_ = nullptr;
  ChoiceSpace space_;          // the chooser's optional freedoms (model.md section 7)
  bool wants_states_ = false;  // the chooser wants fingerprints at choice points
  bool by_identity_ = false;   // ... and may leave out what decides no outcome (Chooser::matches_by_identity)
  StateHasher hasher_;         // the fingerprint being written (its buffer kept between points)
  UserState* user_ = nullptr;  // the binding's part of fingerprints
  bool running_ = false;
  bool ran_ = false;
  bool ending_ = false;
  RunResult result_;
  std::int64_t unfinished_ = 0;  // scenario threads whose body has not returned
};

// Scheduler::best_eligible (scheduler/scheduler.hpp): the answer kept at this epoch while nothing is
// pending, else a look.
inline Thread* Scheduler::best_eligible() {
  if (top_epoch_ == epoch_ && !blocked_waiting_ && !k_.events().work_remains()) return top_;
  return keep_best_eligible();
}

inline Thread* Scheduler::choose_among_ties(Thread* best) {
  return best == nullptr || !k_.exploring() ? best : choose_tie(best);
}

// check_block_flags: unknown Block_* bits, or bits the service does not accept, are an error (each
// service's allowed bits are known ones, so one test finds both; the refusal says which).
[[noreturn, gnu::cold]] void refuse_block_flags(const char* service, Flags flags, Flags allowed);
inline void check_block_flags(const char* service, Flags flags, Flags allowed) {
  if (flags & ~allowed) [[unlikely]] refuse_block_flags(service, flags, allowed);
}

// The kernel whose run() executes on this OS thread. constinit: it has no dynamic initialisation,
// so every service call reads it directly instead of through a TLS wrapper.
extern constinit thread_local Kernel* g_current_kernel;
inline Kernel* current_kernel() { return g_current_kernel; }
// live_kernel_count: Kernels constructed and not yet destroyed, in the whole process (leak checks).
int live_kernel_count();
void set_current_kernel(Kernel* kernel);

}  // namespace vmmsim::detail
