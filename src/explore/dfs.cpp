// dfs.cpp: the systematic strategy. The schedules form a tree: a node is a run, its children are
// the runs that take the same options up to some choice point after the node's last non-default
// one and another option there. Round b visits, depth first, every node with exactly b non-default
// choices (the default run is round 0). To find a node's children the strategy needs the node's
// run: nodes of earlier rounds are run again here (their schedules were counted in their round),
// the nodes of round b are handed out as leaves. A round with no node at all means every schedule
// has been run: the space is exhausted.
//
// Shards: the children of the default run are numbered in visiting order; child c and all of its
// descendants belong to shard c mod N; the default run belongs to shard 0. Shards never overlap
// and together cover the tree.
#include <vector>

#include "explore/strategy.hpp"

namespace vmmsim::explorer {

namespace {

struct Frame {
  std::vector<std::uint32_t> taken;   // the node's run: options at each choice point
  std::vector<std::uint32_t> counts;  // and how many each offered
  unsigned depth = 0;                 // non-default choices
  std::size_t position = 0;           // the next child: choice point ...
  std::uint32_t option = 0;           // ... and option there (0: not started)
};

class Dfs final : public Strategy {
 public:
  Dfs(const ExploreOptions& options, ScenarioRunner& generator)
      : space_(options.space), shard_(options.shard), shards_(options.shards), generator_(generator) {}

  std::optional<Leaf> next() override {
    for (;;) {
      if (stack_.empty()) {
        if (!start_round()) return std::nullopt;
        if (round_ == 0) {
          if (shard_ == 0) return Leaf{{}, 0};
          continue;
        }
      }
      Frame& f = stack_.back();
      if (!advance(f)) {
        stack_.pop_back();
        continue;
      }
      if (f.depth == 0 && (child_number_++ % shards_) != shard_) continue;  // another shard's subtree
      std::vector<std::uint32_t> child(f.taken.begin(), f.taken.begin() + static_cast<std::ptrdiff_t>(f.position));
      child.push_back(f.option);
      if (f.depth + 1 == round_) {
        ++leaves_this_round_;
        return Leaf{std::move(child), 0};
      }
      unsigned depth = f.depth + 1;
      Frame inner = run_node(child);
      inner.depth = depth;
      inner.position = child.size();  // its children branch after its last non-default choice
      stack_.push_back(std::move(inner));
    }
  }

  std::unique_ptr<TracingChooser> chooser_for(const Leaf& leaf) const override {
    return std::make_unique<OwningPrefixChooser>(space_, leaf.prefix);
  }
  unsigned round() const override { return round_; }
  std::uint64_t runs() const override { return runs_; }

 private:
  class OwningPrefixChooser final : public TracingChooser {
   public:
    OwningPrefixChooser(ChoiceSpace space, std::vector<std::uint32_t> prefix)
        : TracingChooser(space), prefix_(std::move(prefix)) {}

   protected:
    std::size_t pick(const ChoicePoint&, std::size_t index) override {
      return index < prefix_.size() ? prefix_[index] : 0;
    }

   private:
    std::vector<std::uint32_t> prefix_;
  };

  // start_round: the next round begins at the default run; false when the last round had no node.
  bool start_round() {
    if (started_) {
      if (round_ > 0 && leaves_this_round_ == 0) return false;  // exhausted
      ++round_;
    }
    started_ = true;
    leaves_this_round_ = 0;
    child_number_ = 0;
    if (round_ == 0) return true;
    Frame root = run_node({});
    root.position = 0;
    stack_.push_back(std::move(root));
    return true;
  }

  // advance: moves f to its next child; false when it has none left.
  static bool advance(Frame& f) {
    for (;;) {
      if (f.position >= f.counts.size()) return false;
      if (++f.option < f.counts[f.position]) return true;
      ++f.position;
      f.option = 0;
    }
  }

  Frame run_node(const std::vector<std::uint32_t>& prefix) {
    PrefixChooser chooser(space_, prefix);
    generator_.run(chooser);
    ++runs_;
    Frame f;
    f.taken = std::move(chooser.trace().taken);
    f.counts = std::move(chooser.trace().counts);
    return f;
  }

  ChoiceSpace space_;
  unsigned shard_, shards_;
  ScenarioRunner& generator_;
  std::vector<Frame> stack_;
  unsigned round_ = 0;
  bool started_ = false;
  std::uint64_t leaves_this_round_ = 0;
  std::uint64_t child_number_ = 0;
  std::uint64_t runs_ = 0;
};

}  // namespace

std::unique_ptr<Strategy> make_dfs(const ExploreOptions& options, ScenarioRunner& generator) {
  return std::make_unique<Dfs>(options, generator);
}

}  // namespace vmmsim::explorer
