// dfs.cpp: the systematic strategy. The schedules form a tree: a node is a run, its children are
// the runs that take the same options up to some choice point after the node's last non-default
// one and another option there. Round b visits, depth first, every node with exactly b non-default
// choices (the default run is round 0). A round with no node at all means every schedule has been
// run: the space is exhausted.
//
// A node's children come from its run's trace. The traces of round b's schedules come back from
// the workers (took()) and are kept, in order, as the frontier of round b+1, so no schedule runs
// twice. Should a frontier outgrow ExploreOptions::dfs_frontier_limit choice points, it falls back
// for good to re-running: each round starts again from the default run and re-runs the inner nodes
// (schedules of earlier rounds) to find their children, which costs runs but no memory.
//
// Pruning is the Reduction's (reduction.hpp): each trace taken back is settled with it, in hand-out
// order, and it says where the trace's children end; it sets up the chooser of each run. With
// ExploreOptions::reduce it is state matching (model.md section 7, "Pruning"); the re-running mode
// prunes nothing.
//
// Shards: the children of the default run are numbered in visiting order; child c and all of its
// descendants belong to shard c mod N; the default run belongs to shard 0. Shards never overlap
// and together cover the tree.
#include <algorithm>
#include <memory>
#include <vector>

#include "explorer/reduction.hpp"
#include "explorer/strategy.hpp"

namespace vmmsim::explorer {

namespace {

struct Frame {
  std::vector<std::uint32_t> taken;   // the node's run: options at each choice point
  std::vector<std::uint32_t> counts;  // and how many each offered
  unsigned depth = 0;                 // non-default choices
  std::size_t position = 0;           // the next child: choice point ...
  std::uint32_t option = 0;           // ... and option there (0: not started)

  // advance: moves to the next child; false when there is none left.
  bool advance() {
    for (;;) {
      if (position >= counts.size()) return false;
      if (++option < counts[position]) return true;
      ++position;
      option = 0;
    }
  }
  // cut_at: no children past choice point `cut` (a state there is covered by another run).
  void cut_at(std::size_t cut) {
    taken.resize(std::min(cut, taken.size()));
    counts.resize(std::min(cut, counts.size()));
  }
  std::vector<std::uint32_t> child() const {
    std::vector<std::uint32_t> c(taken.begin(), taken.begin() + static_cast<std::ptrdiff_t>(position));
    c.push_back(option);
    return c;
  }
};

Frame frame_of(const Trace& trace, unsigned depth) {
  Frame f;
  f.taken = trace.taken;
  f.counts = trace.counts;
  f.depth = depth;
  f.position = trace.branch_point();  // its children branch after its last non-default choice
  return f;
}

class Dfs final : public Strategy {
 public:
  Dfs(const ExploreOptions& options, ScenarioRunner& generator, std::unique_ptr<Reduction> reduction)
      : space_(options.space), shard_(options.shard), shards_(options.shards),
        frontier_limit_(options.dfs_frontier_limit), reduction_(std::move(reduction)), generator_(generator) {}

  Supply next(Leaf& leaf) override { return rerunning_ ? next_by_rerunning(leaf) : next_from_frontier(leaf); }

  void took(const Trace& trace) override {
    ++results_;
    if (rerunning_ || overflow_) return;
    std::size_t cut = reduction_->settle(trace);
    frontier_size_ += cut;
    if (frontier_size_ > frontier_limit_) {
      overflow_ = true;
      next_frontier_.clear();
      return;
    }
    next_frontier_.push_back(frame_of(trace, round_));
    next_frontier_.back().cut_at(cut);
  }

  std::unique_ptr<TracingChooser> chooser_for(const Leaf& leaf) const override {
    auto chooser = std::make_unique<PrefixChooser>(space_, leaf.prefix);
    // Its prefix replays its parent's run up to the last pick, which met those states already.
    if (!rerunning_) reduction_->prepare(*chooser, leaf.prefix.size());
    return chooser;
  }
  unsigned round() const override { return round_; }
  std::uint64_t runs() const override { return runs_; }
  std::uint64_t pruned() const override { return reduction_->pruned(); }
  std::uint64_t states() const override { return reduction_->states(); }

 private:
  // --- the frontier: traces of the last round's schedules ---

  Supply next_from_frontier(Leaf& leaf) {
    for (;;) {
      if (!started_) {
        started_ = true;
        if (shard_ == 0) return hand_out({}, leaf);
        next_frontier_.push_back(run_default());  // another shard's schedule, but its children are ours
        continue;
      }
      if (cursor_ < frontier_.size()) {
        Frame& parent = frontier_[cursor_];
        if (!parent.advance()) {
          ++cursor_;
          continue;
        }
        if (parent.depth == 0 && (child_number_++ % shards_) != shard_) continue;  // another shard's subtree
        return hand_out(parent.child(), leaf);
      }
      // The round's schedules are all handed out: the next round needs all their traces.
      if (results_ < handed_) return Supply::wait;
      if (round_ > 0 && handed_in_round_ == 0) return Supply::exhausted;
      if (overflow_) {
        rerunning_ = true;
        leaves_this_round_ = 1;  // the round had schedules: rounds go on
        return next_by_rerunning(leaf);
      }
      frontier_ = std::move(next_frontier_);
      next_frontier_.clear();
      reduction_->next_round();
      frontier_size_ = 0;
      cursor_ = 0;
      handed_in_round_ = 0;
      ++round_;
    }
  }

  Supply hand_out(std::vector<std::uint32_t> prefix, Leaf& leaf) {
    ++handed_;
    ++handed_in_round_;
    leaf = Leaf{std::move(prefix), 0};
    return Supply::leaf;
  }

  // --- re-running: memory-free, each round from the default run ---

  Supply next_by_rerunning(Leaf& leaf) {
    for (;;) {
      if (stack_.empty()) {
        if (leaves_this_round_ == 0) return Supply::exhausted;
        ++round_;
        leaves_this_round_ = 0;
        child_number_ = 0;
        stack_.push_back(run_node({}, 0));
      }
      Frame& f = stack_.back();
      if (!f.advance()) {
        stack_.pop_back();
        continue;
      }
      if (f.depth == 0 && (child_number_++ % shards_) != shard_) continue;  // another shard's subtree
      std::vector<std::uint32_t> child = f.child();
      if (f.depth + 1 == round_) {
        ++leaves_this_round_;
        ++handed_;
        leaf = Leaf{std::move(child), 0};
        return Supply::leaf;
      }
      unsigned depth = f.depth + 1;
      stack_.push_back(run_node(std::move(child), depth));
    }
  }

  // run_default: the default run, for a shard other than 0, which does not hand it out; it is
  // settled like a handed-out run, since its children skip its states.
  Frame run_default() {
    PrefixChooser chooser(space_, {});
    reduction_->prepare_default(chooser);
    generator_.run(chooser);
    ++runs_;
    Frame f = frame_of(chooser.trace(), 0);
    f.cut_at(reduction_->settle(chooser.trace()));
    return f;
  }

  Frame run_node(std::vector<std::uint32_t> prefix, unsigned depth) {
    PrefixChooser chooser(space_, std::move(prefix));
    generator_.run(chooser);
    ++runs_;
    return frame_of(chooser.trace(), depth);
  }

  ChoiceSpace space_;
  unsigned shard_, shards_;
  std::size_t frontier_limit_;
  std::unique_ptr<Reduction> reduction_;
  ScenarioRunner& generator_;
  unsigned round_ = 0;
  bool started_ = false;
  std::uint64_t child_number_ = 0;
  std::uint64_t runs_ = 0;
  std::uint64_t handed_ = 0, results_ = 0;

  // frontier mode
  std::vector<Frame> frontier_, next_frontier_;
  std::size_t cursor_ = 0;
  std::size_t frontier_size_ = 0;
  bool overflow_ = false;
  std::uint64_t handed_in_round_ = 0;

  // re-running mode
  bool rerunning_ = false;
  std::vector<Frame> stack_;
  std::uint64_t leaves_this_round_ = 0;
};

}  // namespace

std::unique_ptr<Strategy> make_dfs(const ExploreOptions& options, ScenarioRunner& generator) {
  return make_dfs(options, generator, options.reduce ? make_state_matching() : make_no_reduction());
}

std::unique_ptr<Strategy> make_dfs(const ExploreOptions& options, ScenarioRunner& generator,
                                   std::unique_ptr<Reduction> reduction) {
  return std::make_unique<Dfs>(options, generator, std::move(reduction));
}

}  // namespace vmmsim::explorer
