// strategy.hpp: a strategy hands out the schedules to run, one after the other, in a fixed order
// (the same whatever the number of workers), and makes the chooser that runs each one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "explorer/trace.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::explorer {

// Leaf: one schedule to run: the options it forces (dfs) or the number that seeds it (random, pct).
struct Leaf {
  std::vector<std::uint32_t> prefix;
  std::uint64_t number = 0;  // random, pct: the schedule's number (0 = the default run)
};

// Supply: what next() has: a schedule to run; nothing until the results of every schedule handed
// out so far are back (wait); or nothing ever again (exhausted: the space, of this shard, is covered).
enum class Supply { leaf, wait, exhausted };

class Strategy {
 public:
  virtual ~Strategy() = default;
  // next: the next schedule, into leaf. Called from one thread only.
  virtual Supply next(Leaf& leaf) = 0;
  // took: the trace of each schedule handed out, in the order they were handed out.
  virtual void took(const Trace&) {}
  // chooser_for: the chooser that runs leaf. Safe to call from several threads at once.
  virtual std::unique_ptr<TracingChooser> chooser_for(const Leaf& leaf) const = 0;
  // round: dfs's number of non-default choices of the schedules it hands out now.
  virtual unsigned round() const { return 0; }
  // runs: scenario runs the strategy made itself (dfs runs inner nodes to find their children).
  virtual std::uint64_t runs() const { return 0; }
  // pruned / states: dfs with state matching: runs covered by another from some state on, and the
  // distinct states met.
  virtual std::uint64_t pruned() const { return 0; }
  virtual std::uint64_t states() const { return 0; }
};

// NumberedSchedules: the random strategies: schedule i is made from its number alone (0 is the
// default run), so it is the same whichever worker or shard runs it; shard k of N runs the numbers
// i with i mod N = k. Subclasses make the chooser of schedules 1, 2, ...
class NumberedSchedules : public Strategy {
 public:
  explicit NumberedSchedules(const ExploreOptions& options)
      : space_(options.space), next_(options.shard), step_(options.shards) {}
  Supply next(Leaf& leaf) final {
    leaf = Leaf{{}, next_};
    next_ += step_;
    return Supply::leaf;
  }
  std::unique_ptr<TracingChooser> chooser_for(const Leaf& leaf) const final {
    if (leaf.number == 0) return std::make_unique<PrefixChooser>(space_, std::vector<std::uint32_t>{});
    return chooser_for_number(leaf.number);
  }

 protected:
  virtual std::unique_ptr<TracingChooser> chooser_for_number(std::uint64_t number) const = 0;
  ChoiceSpace space_;

 private:
  std::uint64_t next_;
  std::uint64_t step_;
};

class Reduction;

// make_dfs: runs inner nodes of the schedule tree with generator (from the calling thread); prunes
// with state matching when options.reduce, or with the reduction given.
std::unique_ptr<Strategy> make_dfs(const ExploreOptions& options, ScenarioRunner& generator);
std::unique_ptr<Strategy> make_dfs(const ExploreOptions& options, ScenarioRunner& generator,
                                   std::unique_ptr<Reduction> reduction);
std::unique_ptr<Strategy> make_random(const ExploreOptions& options);
// make_pct: default_points is the number of choice points of the default run (PCT's k).
std::unique_ptr<Strategy> make_pct(const ExploreOptions& options, std::uint64_t default_points);

}  // namespace vmmsim::explorer
