// trace.hpp: the choices one run made, and the chooser every strategy builds on, which writes them
// down as it answers.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "explorer/state_store.hpp"
#include "vmmsim/chooser.hpp"
#include "vmmsim/schedule.hpp"

namespace vmmsim::explorer {

// Trace: for each choice point of a run, in order, how many options it offered and which was taken.
struct Trace {
  std::vector<std::uint32_t> counts;
  std::vector<std::uint32_t> taken;
  std::vector<ChoiceKind> kinds;
  // states: the fingerprints the run met (state matching), each with where the run met it.
  struct Met {
    std::uint32_t index = 0;  // its choice point
    Fingerprint state;
    std::uint32_t non_default = 0;  // the run's non-default choices before it
    std::uint64_t path = 0;         // a hash of the run's options before it
  };
  std::vector<Met> states;
  bool stopped = false;  // the run stopped at its last state: another run covers what follows

  std::size_t size() const { return taken.size(); }
  // branch_point: where the run's last non-default choice was, plus one (0 for the default run):
  // the schedules below it in the tree differ from it after that point.
  std::size_t branch_point() const;
  std::size_t non_default() const;
  Schedule schedule(ChoiceSpace space) const;  // the picks that are not option 0
};

// Visit: the first run that met a state: its non-default choices before it, and a hash of its
// options up to it (the path: the runs that extend this one are not stopped there).
struct Visit {
  std::uint32_t non_default = 0;
  std::uint64_t path = 0;
};
using Visited = std::unordered_map<Fingerprint, Visit, FingerprintHash>;

// covered: whether a run at a state `seen` before, by another path, with `non_default` choices so
// far, is covered by the first run's continuations (model.md section 7, "Pruning").
inline bool covered(const Visit& seen, std::uint32_t non_default, std::uint64_t path) {
  return path != seen.path && non_default >= seen.non_default;
}

// TracingChooser: answers through pick() and records every answer in trace(). With states (dfs with
// state matching), it asks for fingerprints and stops a run at a state the earlier rounds met.
class TracingChooser : public Chooser {
 public:
  explicit TracingChooser(ChoiceSpace space) : space_(space) {}
  ChoiceSpace space() const final { return space_; }
  std::size_t choose(const ChoicePoint& point) final;
  bool wants_states() const final { return matching_; }
  bool wants_state_here() const final { return trace_.taken.size() >= fresh_from_; }
  // By identity only for --prove, which takes every option (Chooser::matches_by_identity).
  bool matches_by_identity() const final { return stored_ != nullptr; }
  // match_states: fingerprint the choice points from fresh_from on (the ones before it replay a run
  // whose states are known already), and stop at a state in earlier.
  void match_states(std::shared_ptr<const Visited> earlier, std::size_t fresh_from = 0) {
    matching_ = true;
    earlier_ = std::move(earlier);
    fresh_from_ = fresh_from;
  }
  // stop_at_stored: explore --prove by re-running: fingerprint the choice points from fresh_from on
  // and stop at any state the store holds (a stateful depth-first search expands each state once).
  void stop_at_stored(const StateStore* stored, std::size_t fresh_from) {
    matching_ = true;
    stored_ = stored;
    fresh_from_ = fresh_from;
  }
  const Trace& trace() const { return trace_; }
  Trace& trace() { return trace_; }

 protected:
  // pick: the option for the index-th choice point of the run (out of range means option 0).
  virtual std::size_t pick(const ChoicePoint& point, std::size_t index) = 0;

 private:
  ChoiceSpace space_;
  Trace trace_;
  bool matching_ = false;
  std::shared_ptr<const Visited> earlier_;
  const StateStore* stored_ = nullptr;
  std::size_t fresh_from_ = 0;
  std::uint64_t path_ = 0;
  std::uint32_t non_default_ = 0;
};

// PrefixChooser: takes the given options at the first choice points, option 0 after them (an
// empty prefix: the default run). The systematic strategy and shrinking replay schedules with it.
class PrefixChooser final : public TracingChooser {
 public:
  PrefixChooser(ChoiceSpace space, std::vector<std::uint32_t> prefix)
      : TracingChooser(space), prefix_(std::move(prefix)) {}

 protected:
  std::size_t pick(const ChoicePoint&, std::size_t index) override {
    return index < prefix_.size() ? prefix_[index] : 0;
  }

 private:
  std::vector<std::uint32_t> prefix_;
};

// prefix_of: the full list of options (zeros included) a schedule takes up to its last pick.
std::vector<std::uint32_t> prefix_of(const Schedule& schedule);

}  // namespace vmmsim::explorer
