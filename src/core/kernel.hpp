// kernel.hpp: the simulated VMM. One Kernel per Machine; everything simulated lives here.
//
// Execution model. Every simulated thread runs on its own fiber (fiber/). Control passes between
// fibers only in switch_to(), which the running thread calls at a scheduling point (model.md
// section 2): at an event processing point, when it blocks, suspends its own VM, or finishes.
// Virtual time advances only inside run_timed() (ring3, hw_int, nested execution) and in the idle
// thread; interrupts and time-outs fire there, each followed by a processing point.
//
// The implementation is split by concept:
//   core/kernel.cpp           construction, threads, VMs, priorities, logging helpers
//   scheduler/scheduler.cpp   ready queue, pick_next, switch_to, processing points, time slices
//   core/execution.cpp        run_timed, ring3, hw_int, nested execution, interrupts firing
//   core/run.cpp              run(), the idle thread, how a run ends, teardown
//   events/*.cpp              queueing, restrictions, processing, time-outs, cancel
//   sync/*.cpp                waits, block IDs, semaphores, the critical section, Suspend_VM
//   diag/diagnosis.cpp        the stuck / starved diagnosis
#pragma once

#include <boost/intrusive/list.hpp>
#include <boost/intrusive/set.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "clock/timer_queue.hpp"
#include "core/event.hpp"
#include "core/thread.hpp"
#include "core/vm.hpp"
#include "fiber/fiber.hpp"
#include "fiber/stack_pool.hpp"
#include "sync/block_id_table.hpp"
#include "sync/wait.hpp"
#include "vmmsim/chooser.hpp"
#include "vmmsim/log.hpp"
#include "vmmsim/machine.hpp"

namespace vmmsim::detail {

namespace bi = boost::intrusive;

// Ready queue order: higher priority first, then smaller tie_key (least recently switched to;
// never-run threads in creation order). System VM threads are keyed without the System VM's own
// boost, which lifts them all equally: a VM event for the System VM must not re-key 100,000 threads.
struct SysReadyOrder {
  bool operator()(const Thread& a, const Thread& b) const {
    Priority pa = a.base + a.boost, pb = b.base + b.boost;
    return pa != pb ? pa > pb : a.tie_key < b.tie_key;
  }
};
struct VmReadyOrder {
  bool operator()(const Thread& a, const Thread& b) const {
    Priority pa = a.base + a.boost + a.vm->boost, pb = b.base + b.boost + b.vm->boost;
    return pa != pb ? pa > pb : a.tie_key < b.tie_key;
  }
};
using ReadyHookOpt = bi::member_hook<Thread, ReadyHook, &Thread::ready_hook>;
using SysReadySet = bi::multiset<Thread, ReadyHookOpt, bi::compare<SysReadyOrder>>;
using VmReadySet = bi::multiset<Thread, ReadyHookOpt, bi::compare<VmReadyOrder>>;
using WaitingList = bi::list<Thread, bi::member_hook<Thread, ListHook, &Thread::waiting_hook>,
                             bi::constant_time_size<false>>;
using BlockedList = bi::list<Thread, bi::member_hook<Thread, ListHook, &Thread::blocked_hook>,
                             bi::constant_time_size<false>>;

// How restrictions are judged for a thread (model.md section 2: a blocked thread servicing with
// Block_Force_Svc_Ints is judged as if it held the section and its boost; Block_Enable_Ints makes
// its IF count as set).
struct Judge {
  Thread* thread = nullptr;
  bool as_crit_owner = false;
  Priority extra = 0;
  bool if_forced = false;
  bool ring0_only = false;  // blocked without servicing flags: only PEF_Ring0_Event (model.md 2)
};

struct InterruptSource {
  InterruptHandler handler;
  std::int64_t period_us = 0;  // 0: one-shot
  std::int64_t remaining = -1; // periodic firings left (-1: forever)
  std::uint64_t seq = 0;
  std::int64_t nominal_us = 0;  // when the next firing is due before any jitter
};

struct BlockIdState {
  WaitQueue waiters;
  std::uint64_t unheard_step = 0;  // step of the latest signal that woke no one
  std::int64_t unheard_us = -1;
};

struct Semaphore {
  std::int64_t count = 0;
  WaitQueue waiters;
};

struct CriticalSection {
  Thread* owner = nullptr;
  int claims = 0;
  WaitQueue waiters;
};

struct PendingCall {  // Call_When_Not_Critical / Call_When_VM_Ints_Enabled
  EventCallback callback;
  RefData refdata = 0;
  VM* vm = nullptr;
  std::int64_t installed_us = 0;
};

enum class ExecKind : std::uint8_t { ring3, hw_int, nested };

class Kernel {
 public:
  explicit Kernel(Config config);
  ~Kernel();

  // --- set-up (core/kernel.cpp) ---
  void configure(const Config& config);
  const Config& config() const { return config_; }
  Thread* create_thread(std::string name, Body body, Priority priority, VM* vm, bool pm);
  VM* create_vm(std::string name, Body body, Priority priority, bool pm);
  void add_interrupt(double at_ms, double period_ms, std::int64_t count, InterruptHandler handler);
  void set_log(LogSink* sink) { sink_ = sink; }
  void set_chooser(Chooser* chooser) {
    chooser_ = chooser;
    space_ = chooser != nullptr ? chooser->space() : ChoiceSpace{};
    wants_states_ = chooser != nullptr && chooser->wants_states();
  }
  void set_user_state(UserState* user) { user_ = user; }
  // fingerprint: the whole state, or false when it cannot be described exactly here (fingerprint.cpp).
  bool fingerprint(StateHasher& h);
  VM* sys_vm() const { return sys_vm_; }
  Thread* idle_thread() const { return idle_; }
  Thread* current() const { return current_; }
  std::int64_t now_us() const { return now_us_; }
  bool running() const { return running_; }
  bool at_interrupt_time() const { return interrupt_depth_ > 0; }

  // --- run (core/run.cpp) ---
  RunResult run();
  [[noreturn]] void abandon_current();

  // --- priorities (core/kernel.cpp) ---
  static Priority priority(const Thread* t) { return t->base + t->boost + t->vm->boost; }
  void add_thread_boost(Thread* t, Priority delta);
  void add_vm_boost(VM* vm, Priority delta);
  void adjust_exec_priority(Priority delta, VM* vm);
  void adjust_thread_exec_priority(Priority delta, Thread* t);

  // --- events (events/*.cpp) ---
  EVENTHANDLE call_event(EventService service, const char* name, Priority boost, EventTarget target,
                         Flags flags, RefData refdata, EventCallback callback, double timeout_ms);
  void cancel_event(EventService service, const char* name, EVENTHANDLE handle, VM* vm,
                    Thread* thread);
  void call_when_not_critical(EventCallback callback, RefData refdata);
  void call_when_vm_ints_enabled(EventCallback callback, RefData refdata);
  TIMEOUTHANDLE set_global_time_out(double ms, EventCallback callback, RefData refdata);
  void cancel_time_out(TIMEOUTHANDLE handle);
  // failing_restrictions: the restriction flags of ev that do not hold under judge.
  Flags failing_restrictions(const Event& ev, const Judge& judge) const;
  std::string explain_restriction(Flags flag, const Event& ev, const Judge& judge) const;

  // --- sync (sync/*.cpp) ---
  void block_on_id(BlockId id, Flags flags);
  void signal_id(BlockId id);
  SEMHANDLE create_semaphore(std::int64_t count);
  void wait_semaphore(SEMHANDLE sem, Flags flags);
  void signal_semaphore(SEMHANDLE sem);
  void begin_critical_section(Flags flags);
  void end_critical_section();
  bool suspend_vm(VM* vm);
  void resume_vm(VM* vm);
  void name_block_id(BlockId id, std::string name) { id_names_[id] = std::move(name); }
  std::string block_id_name(BlockId id) const;

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

  // check_*: service preconditions; each throws ServiceError naming the service.
  void check_running(const char* service) const;
  void check_thread_context(const char* service) const;  // not at interrupt time, not in a ring-0 event
  void check_may_block(const char* service) const;
  void check_ring3(const char* service) const;
  Thread* check_thread(const char* service, Thread* t) const;
  VM* check_vm(const char* service, VM* vm) const;

  // --- logging (core/kernel.cpp) ---
  bool logging() const { return sink_ != nullptr && !log_muted_; }
  void emit(const char* kind, std::string text, std::vector<LogField> fields = {});
  std::string describe_event(const Event& ev) const;

  Machine* machine = nullptr;  // the public facade that owns this kernel

  // Exposed for the diagnosis and tests.
  const std::vector<std::unique_ptr<Thread>>& threads() const { return threads_; }
  const std::vector<std::unique_ptr<VM>>& vms() const { return vms_; }
  const CriticalSection& crit() const { return crit_; }

 private:
  friend class Diagnosis;

  // scheduler/scheduler.cpp
  void make_ready(Thread* t);
  void ready_insert(Thread* t);
  void ready_erase(Thread* t);
  bool in_ready_queue(const Thread* t) const { return t->ready_hook.is_linked(); }
  bool schedulable(const Thread* t) const;  // its VM is not suspended
  Thread* ready_top() const;
  static bool runs_before(const Thread* a, const Thread* b);
  Thread* best_eligible();
  Thread* pick_next();
  Thread* choose_among_ties(Thread* best);
  // The explorer's choice points (model.md section 7): exploring() is false in the default run.
  bool exploring() const { return chooser_ != nullptr && chooser_->active(); }
  bool clean_site() const;  // fingerprint.cpp
  bool write_state(StateHasher& h);
  [[noreturn]] void stop_run();  // the chooser answered Chooser::kStop
  std::size_t choose(ChoiceKind kind, std::size_t count, std::span<const std::uint64_t> ids = {});
  bool blocked_eligible(Thread* t, Judge* judge_out = nullptr);
  Judge blocked_judge(Thread* t) const;
  void hand_cpu_to(Thread* next, Thread* prev);
  void switch_to(Thread* next);
  void schedule_away();
  void processing_point(bool may_rotate);
  std::int64_t starvation_deadline(Thread** victim);
  void start_waiting(Thread* t);
  void stop_waiting(Thread* t);

  // events
  Event* alloc_event();
  void free_event(Event* ev);
  Event* lookup_event(EVENTHANDLE handle) const;
  void validate_event_call(EventService service, const char* name, Priority boost,
                           const EventTarget& target, Flags flags, double timeout_ms,
                           EventTargetKind& kind, VM*& vm, Thread*& thread) const;
  void place_boost(Event* ev);
  Priority pending_floor(const Event& ev) const;
  Priority highest_sys_priority() const;
  void warn_never_runnable(const Event& queued);
  void remove_boost(Event* ev, Thread* ran_on);
  void enqueue_event(Event* ev);
  void unlink_event(Event* ev);
  bool restrictions_hold(const Event& ev, const Judge& judge) const {
    return failing_restrictions(ev, judge) == 0;
  }
  Event* default_processable(const Judge& judge);
  Event* find_processable(const Judge& judge);
  Event* first_processable(EventList& list, const Judge& judge, bool process_last_pass,
                           std::vector<Event*>* options);
  void run_event(Event* ev, Thread* t);
  void service_events(Thread* t);                     // processing point 1/2 for the current thread
  void invoke(const EventCallback& cb, const EventContext& ctx);
  void time_out_event(Event* ev);
  void count_callback(const Event* ev, const char* what);
  void count_processing_point();
  void new_instant();
  void run_when_not_critical();

  // sync
  void block_current(Wait& w);
  void wake(Wait& w);
  Wait* best_waiter(WaitQueue& q) const;
  void release_crit_fully(Thread* t);
  void claim_crit(Thread* t, int claims);
  // offer_spurious_wakeup: on the scheduler's hot path, so the test of the option is inline.
  void offer_spurious_wakeup() {
    if (space_.spurious_wakeups) wake_spuriously_if_chosen();
  }
  void wake_spuriously_if_chosen();  // sync/block_id.cpp

  // execution
  void run_timed(std::int64_t duration_us, ExecKind kind);
  void advance_to(std::int64_t t_us, Thread* t, bool count_slice);
  bool fire_due_timer();
  bool timer_item_live(const TimerItem& item) const;
  std::int64_t jittered(std::int64_t due_us);

  // run
  static void thread_entry(void* arg);
  [[noreturn]] void finish_current();
  [[noreturn]] void end_run(Outcome outcome, std::string message);
  void fail_run(std::string message);
  [[noreturn]] void idle_loop();
  bool work_remains() const;
  void kill_fibers();
  void teardown_waits();

  std::int64_t to_us(double ms) const;
  // duration_us: a service's time argument in µs; not finite, negative or above kMaxMs is an error.
  static std::int64_t duration_us(const char* service, const char* what, double ms);
  static constexpr double kMaxMs = 1e12;
  static constexpr int kMaxNestedCallbacks = 200;  // immediate calls inside callbacks: bounded C++ stack  // about 31 years: far beyond any run, far inside int64 µs

  Config config_;
  std::int64_t time_slice_us_ = 20000, starve_us_ = 1000000, max_time_us_ = 60000000;
  std::int64_t now_us_ = 0;

  std::vector<std::unique_ptr<VM>> vms_;
  std::vector<std::unique_ptr<Thread>> threads_;
  VM* sys_vm_ = nullptr;
  Thread* idle_ = nullptr;
  Thread* current_ = nullptr;
  Fiber main_fiber_;
  StackPool stacks_;

  SysReadySet sys_ready_;
  VmReadySet vm_ready_;
  WaitingList waiting_;   // ready threads not running, oldest wait first
  BlockedList blocked_;   // blocked threads of VMs that are not suspended
  std::uint64_t switches_ = 0;
  bool blocked_waiting_ = false;  // some blocked thread has waiting_since set (pick_next)

  // events
  std::deque<Event> event_slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint32_t> slot_gen_;
  EventList global_events_;
  EventList timed_out_;            // timed out, callback due at the next processing point
  std::int64_t events_pending_ = 0;  // queued or timed out, callback not yet run
  std::int64_t timed_pending_ = 0;   // one-shot interrupts, global time-outs, event time-outs
  std::uint64_t event_seq_ = 0;
  std::vector<PendingCall> when_not_critical_;
  bool when_not_critical_armed_ = false;
  std::vector<PendingCall> when_ints_enabled_;
  std::int64_t callbacks_this_instant_ = 0;
  std::int64_t points_this_instant_ = 0;
  bool log_muted_ = false;  // a zero-time loop: records are dropped until time advances
  std::int64_t instant_us_ = -1;

  // time
  TimerQueue timers_;
  std::vector<InterruptSource> interrupts_;
  std::uint64_t timer_seq_ = 0;
  int interrupt_depth_ = 0;
  std::int64_t idle_since_us_ = 0;

  // sync
  BlockIdTable<BlockIdState> ids_;
  std::unordered_map<BlockId, std::string> id_names_;
  std::vector<std::unique_ptr<Semaphore>> semaphores_;
  CriticalSection crit_;
  std::uint64_t step_ = 0;

  // run state
  LogSink* sink_ = nullptr;
  Chooser* chooser_ = nullptr;
  ChoiceSpace space_;  // the chooser's optional freedoms (model.md section 7)
  bool wants_states_ = false;  // the chooser wants fingerprints at choice points
  StateHasher hasher_;         // the fingerprint being written (its buffer kept between points)
  UserState* user_ = nullptr;  // the binding's part of fingerprints
  bool running_ = false;
  bool ran_ = false;
  bool ending_ = false;
  RunResult result_;
  std::int64_t unfinished_ = 0;
  Priority max_sys_base_ = 0;  // the highest base priority of a System VM thread  // scenario threads whose body has not returned
};

// service_name: the service that creates events of this kind (for messages).
const char* service_name(EventService s);

// check_block_flags: unknown Block_* bits, or bits the service does not accept, are an error.
void check_block_flags(const char* service, Flags flags, Flags allowed);

// The kernel whose run() executes on this OS thread.
Kernel* current_kernel();
void set_current_kernel(Kernel* kernel);

}  // namespace vmmsim::detail
