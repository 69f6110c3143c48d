// vmmsim/chooser.hpp: the one place every free choice of a run goes through (model.md section 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "vmmsim/state_hash.hpp"

namespace vmmsim {

// ChoiceKind: which freedom of the seeds a choice point exercises.
enum class ChoiceKind : std::uint8_t {
  thread_tie,        // which of several equal-priority eligible threads runs (model.md section 2)
  event_order,       // which processable event of a pass runs next (seed 000: no order guarantee)
  simultaneous,      // which of several items due at the same instant fires first
  spurious_wakeup,   // whether (and which) thread blocked on an ID wakes spuriously (seed 002)
  jitter,            // how late an interrupt or a time-out arrives, within --jitter
};

std::string_view choice_kind_name(ChoiceKind kind);

// ChoiceSpace: the freedoms a run offers beyond ties, event order within a class and simultaneous
// items (which are always choice points). explore's --event-order any, --spurious-wakeups and
// --jitter. A schedule token carries its space, so a replay needs no other option.
struct ChoiceSpace {
  bool event_order_any = false;   // event order across global/VM/thread classes too
  bool spurious_wakeups = false;  // threads blocked on IDs may wake without a _SignalID
  std::int64_t jitter_us = 0;     // interrupts and time-outs may arrive up to this late
  bool operator==(const ChoiceSpace&) const = default;
};

// jitter_step_us: options of a jitter choice point are 0, step, 2*step, ... up to jitter_us (the
// last one exactly): whole milliseconds, or jitter_us itself when it is under one.
constexpr std::int64_t kJitterStepUs = 1000;

// ChoicePoint: one free choice among count > 1 options. ids, when not empty, names each option
// stably across runs (a thread, an event, a timer source; 0 for "none"), for strategies such as
// PCT that give priorities to what is chosen rather than to positions.
struct ChoicePoint {
  ChoiceKind kind = ChoiceKind::thread_tie;
  std::size_t count = 0;
  std::span<const std::uint64_t> ids;
  // state: the fingerprint of the whole state here, when the chooser wants_states() and the state
  // could be fingerprinted exactly (model.md section 7, "Pruning"); nullptr otherwise.
  const Fingerprint* state = nullptr;
};

// Chooser: returns an index in [0, count) for a choice point. Option 0 is always what the
// deterministic default does (FIFO, least recently run, creation order, no spurious wake-up, no
// lateness). A chooser that is not active() is never asked, so the default run pays nothing for
// the choice points.
class Chooser {
 public:
  virtual ~Chooser() = default;
  virtual bool active() const { return true; }
  // space: which optional freedoms are choice points while this chooser is in charge.
  virtual ChoiceSpace space() const { return {}; }
  virtual std::size_t choose(const ChoicePoint& point) = 0;
  // wants_states: fingerprint the state at choice points (it costs a walk over the whole state).
  virtual bool wants_states() const { return false; }
  // wants_state_here: asked at each tie point of a run whose chooser wants_states(): whether this
  // point needs its fingerprint (a strategy replaying a prefix of an earlier run knows the states
  // the prefix meets already, and skips their cost).
  virtual bool wants_state_here() const { return true; }
  // matches_by_identity: whether the fingerprints may leave out orders that decide only which
  // option comes first at a later choice point, never what is possible, and state read only by
  // diagnoses (model.md section 7, "Pruning"). Sound for a search that takes every option of every
  // choice point, whatever its
  // position (explore --prove); not for one that counts non-default choices (--reduce), where the
  // order says which option is the default.
  virtual bool matches_by_identity() const { return false; }
  // kStop: what choose may answer at a point with a state it has seen before, from a run whose
  // continuation covers this one: the run stops at once, with RunResult::stopped.
  static constexpr std::size_t kStop = std::numeric_limits<std::size_t>::max();
};

}  // namespace vmmsim
