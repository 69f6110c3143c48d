// timeline_model.hpp: what the timeline page and the Chrome trace draw, derived from the records
// of one run (the kernel emits no state of its own for them): per thread, intervals by state; its
// priority as steps; who owns the critical section; markers (interrupts, time-outs, slice ends,
// signals that woke no one, spurious wake-ups, the explorer's choices); each event from where it
// was queued to where it ran, timed out, was cancelled or stayed pending; and the outcome.
//
// Positions have two coordinates: virtual time and the step (the record's index in the run's log,
// 0-based, records outside the run included), so that a run at one instant still has a shape.
// The annotation records (LogRecord::annotation: "thread", "priority", "event_done") and the
// events' fields (target_kind, target_name, boost, flags) make it exact: each thread's VM, other
// threads' priorities, where a callback returns. Annotations take no step (they are no line of
// the log): they sit at the step of the record that follows them. Without them (a sink that did
// not ask for them) the model estimates those things and says so (timeline_model.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sinks.hpp"
#include "vmmsim/log.hpp"

namespace vmmsim::command::timeline {

// State: how a thread spends an interval. The order is the legend's.
enum class State : std::uint8_t {
  running,      // holds the CPU, ring-3 code
  callback,     // holds the CPU, running an event callback (ring 0)
  nested,       // holds the CPU in nested execution (Begin_Nest_Exec .. End_Nest_Exec)
  hw_int,       // holds the CPU inside a simulated hardware interrupt
  servicing,    // blocked, but scheduled to service events
  ready,        // runnable, waiting for the CPU
  svc_waiting,  // blocked with a Block_Svc_* flag, events pending it may service: waits for the CPU
  blocked,      // blocked on an ID, a semaphore or the critical section
  suspended,    // its VM is suspended
};
inline constexpr std::size_t kStates = 9;
const char* state_code(State s);   // "running", "callback", ... (stable: the page and tests use them)
const char* state_label(State s);  // the legend's words

struct Pos {
  double t_ms = 0;
  std::uint64_t step = 0;
};

struct Interval {
  std::size_t thread;
  State state;
  Pos from, to;
  std::string detail;
};

struct PrioStep {
  std::size_t thread;
  Pos at;
  std::int64_t priority;
  std::string why;  // the record that changed it (a boost, a claim, an event's boost)
};

struct CritSpan {
  std::size_t owner;
  Pos from, to;
};

enum class MarkKind : std::uint8_t {
  irq, hw_int, exec_int, slice, timeout, timeout_set, signal_none, signal, spurious, event_call, warning, log,
  choice, starved, finish, outcome
};
const char* mark_code(MarkKind k);

struct Mark {
  std::size_t thread;
  MarkKind kind;
  Pos at;
  std::string text;
  Pos to;  // starved: the end of the span; otherwise == at
};

// ArrowEnd: where an event went after it was queued (wake: a _SignalID or Signal_Semaphore
// waking a thread, drawn the same way; lost: a _SignalID that woke no one, to the block on the same
// ID by a thread that had not been woken since: seed 002's lost wake-up).
enum class ArrowEnd : std::uint8_t { run, timed_out, cancelled, pending, wake, lost };
const char* arrow_end_code(ArrowEnd e);

inline constexpr std::size_t kNoThread = static_cast<std::size_t>(-1);

struct Arrow {
  std::int64_t event = 0;  // the event's number (#N); 0 for wake-ups and Call_When_* callbacks
  std::size_t from_thread = kNoThread;
  Pos from;
  std::size_t to_thread = kNoThread;  // pending: the target thread if the event names one
  Pos to;
  ArrowEnd end = ArrowEnd::pending;
  bool timed_out = false;  // its time-out fired (it ran with carry set, or is still due to)
  std::string what;        // the event as the log describes it: target, boost, flags
  std::string target_kind;  // "global", "vm", "thread" (the record's field; else from the words)
  std::string target_name;  // the VM's or the thread's name
  std::int64_t boost = 0;
  std::string held;        // pending at the end: the diagnosis' lines on why it did not run
};

struct ThreadInfo {
  std::string name;
  std::string vm;  // its "thread" annotation's; estimated without: a thread named after a VM the
                   // log names is that VM's, else the System VM's
  bool exact_vm = false;
};

// Track: what the model knows of one thread between records.
struct Track {
  bool running = false, finished = false, blocked = false, servicing = false, suspended = false;
  bool hw = false, in_callback = false;
  int callbacks = 0;        // callbacks running (exact: event_run .. event_done)
  int nest = 0;
  bool svc_flags = false;   // its wait services events (Block_Svc_Ints, _If_Ints_Locked, _Force_)
  std::string block_what;   // "_BlockOnID 'io' (no flags)", ...
  bool open = false;        // an interval is open
  State state = State::ready;
  std::string detail;
  Pos since;
  bool prio_known = false;
  std::int64_t prio = 0;
  std::uint64_t woken_at = 0;  // the step it last woke or started
};

class Model {
 public:
  void add(const LogRecord& r);
  // add_choice: explore's non-default choice, taken after the last record added.
  void add_choice(const std::string& text);
  void finish(const RunEnd& end);

  std::vector<ThreadInfo> threads;
  std::vector<Interval> intervals;  // per thread in order of time; threads interleaved
  std::vector<PrioStep> priority;
  std::vector<CritSpan> crit;
  std::vector<Mark> marks;
  std::vector<Arrow> arrows;
  RunEnd end;
  std::uint64_t steps = 0;  // records seen (annotations are no step)
  bool exact = false;       // annotation records came: VMs, priorities and callback returns are exact

 private:
  std::size_t thread(const std::string& name, bool create_ready = true);
  void refresh(std::size_t t);
  void refresh_blocked();
  void set_priority(std::size_t t, std::int64_t p, const std::string& why);
  void close_crit();
  int pending_for(std::size_t t) const;
  void apply_event_boost(const Arrow& a, std::int64_t sign, const std::string& why);
  Arrow* open_arrow(std::int64_t key);
  void close_arrow(std::int64_t key, ArrowEnd end, std::size_t at_thread);
  void on_event_record(const LogRecord& r, std::size_t cur);
  void on_block_record(const LogRecord& r, std::size_t cur);
  void on_switch(const LogRecord& r, std::size_t cur);
  void on_annotation(const LogRecord& r);
  bool aimed_at(const Arrow& a, std::size_t t) const;
  void attach_diagnosis();

  std::vector<Track> tracks_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> vms_;  // VM names the log mentions
  std::size_t running_ = kNoThread;
  Pos now_;
  std::size_t crit_owner_ = kNoThread;
  Pos crit_since_;
  std::map<std::int64_t, std::size_t> open_arrows_;  // event key -> index in arrows
  std::map<std::string, std::vector<std::size_t>> open_calls_;  // Call_When_* -> arrows, in order
  std::map<std::string, Arrow> signals_none_;  // block ID -> its last _SignalID that woke no one
  std::vector<std::string> early_choices_;  // choices before the first record: marked on its thread
  std::vector<double> record_t_;  // each step's time, to find the step of a time the diagnosis names
};

}  // namespace vmmsim::command::timeline
