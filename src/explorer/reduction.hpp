// reduction.hpp: what the systematic strategy prunes with, apart from the order it searches in
// (issue 16 item 1, SimGrid's split of exploration and reduction). dfs (dfs.cpp) asks its Reduction
// how far each schedule's children go and how to set up each run's chooser; NoReduction prunes
// nothing, StateMatching is `explore --reduce` (model.md section 7, "Pruning").
#pragma once

#include <cstdint>
#include <memory>

#include "explorer/trace.hpp"

namespace vmmsim::explorer {

class Reduction {
 public:
  virtual ~Reduction() = default;
  // settle: the trace of a schedule, in hand-out order (the same for every --jobs); returns the
  // choice point from which it has no children (its size when nothing is cut).
  virtual std::size_t settle(const Trace& trace) = 0;
  // prepare: the chooser of a schedule of the current round whose first `replayed` choice points
  // replay its parent's run (their states are settled already).
  virtual void prepare(PrefixChooser& chooser, std::size_t replayed) const = 0;
  // prepare_default: the chooser of the default run when the strategy runs it itself.
  virtual void prepare_default(PrefixChooser& chooser) const = 0;
  // next_round: what this round settled becomes what the next round's runs stop at.
  virtual void next_round() = 0;
  virtual std::uint64_t pruned() const = 0;  // schedules cut at a state seen before
  virtual std::uint64_t states() const = 0;  // distinct states settled
};

std::unique_ptr<Reduction> make_no_reduction();
std::unique_ptr<Reduction> make_state_matching();

}  // namespace vmmsim::explorer
