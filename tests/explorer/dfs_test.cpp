// dfs_test.cpp: the systematic strategy (src/explorer/dfs.cpp) and its reduction on scripted
// schedule trees, without the simulator (issue 16 item 1). A FakeRunner walks a tree written by
// hand (schedule_tree.hpp) and keeps the leaves its runs reached. The tests drive
// the Strategy interface as explore() does: next(), chooser_for(), run, took().
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "explorer/reduction.hpp"
#include "explorer/strategy.hpp"
#include "schedule_tree.hpp"

namespace vmmsim::explorer {
namespace {

using schedule_tree::choice;
using schedule_tree::leaf;
using schedule_tree::Node;

class FakeRunner final : public ScenarioRunner {
 public:
  explicit FakeRunner(const Node& root) : root_(root) {}
  ScheduleRun run(Chooser& chooser) override {
    ++runs;
    const Node* n = schedule_tree::walk(root_, chooser);
    if (n == nullptr) return {Outcome::finished, "", 0, true, {}, {}};
    leaves.push_back(n->name);
    return {Outcome::finished, n->name, 0, false, {}, {}};
  }
  std::vector<std::string> leaves;  // every leaf a run reached, in order
  int runs = 0;

 private:
  const Node& root_;
};

struct Result {
  std::vector<std::string> handed;  // the leaf each handed-out schedule reached, in hand-out order
  std::vector<std::size_t> choices; // and its non-default choices
  bool exhausted = false;
  std::uint64_t pruned = 0;
};

Result drive(const Node& tree, ExploreOptions o, std::unique_ptr<Reduction> reduction = nullptr) {
  FakeRunner generator(tree), worker(tree);
  std::unique_ptr<Strategy> s = reduction ? make_dfs(o, generator, std::move(reduction)) : make_dfs(o, generator);
  Result r;
  for (int guard = 0; guard < 10000; ++guard) {
    Leaf leaf;
    Supply supply = s->next(leaf);
    if (supply == Supply::exhausted) {
      r.exhausted = true;
      break;
    }
    EXPECT_EQ(supply, Supply::leaf) << "one job: nothing is ever outstanding";
    std::unique_ptr<TracingChooser> c = s->chooser_for(leaf);
    ScheduleRun run = worker.run(*c);
    if (!run.stopped) {
      r.handed.push_back(run.message);
      r.choices.push_back(c->trace().non_default());
    }
    s->took(c->trace());
  }
  r.pruned = s->pruned();
  return r;
}

// Three threads tie, then two: 3 x 2 leaves.
Node three_then_two() {
  std::vector<Node> top;
  for (char a : std::string("ABC")) {
    std::vector<Node> below;
    for (char b : std::string("xy")) below.push_back(leaf(std::string(1, a) + b));
    top.push_back(choice(std::move(below)));
  }
  return choice(std::move(top));
}

TEST(Dfs, VisitsEveryLeafOnceInRoundsOfNonDefaultChoices) {
  Result r = drive(three_then_two(), ExploreOptions{});
  EXPECT_TRUE(r.exhausted);
  std::multiset<std::string> seen(r.handed.begin(), r.handed.end());
  EXPECT_EQ(seen, (std::multiset<std::string>{"Ax", "Ay", "Bx", "By", "Cx", "Cy"}));
  // Round 0: Ax; round 1: Ay, Bx, Cx; round 2: By, Cy.
  EXPECT_EQ(r.choices, (std::vector<std::size_t>{0, 1, 1, 1, 2, 2}));
  EXPECT_EQ(r.handed.front(), "Ax");
}

TEST(Dfs, ShardsSplitTheTreeWithoutOverlapAndCoverIt) {
  std::multiset<std::string> all;
  for (unsigned k = 0; k < 3; ++k) {
    ExploreOptions o;
    o.shard = k;
    o.shards = 3;
    Result r = drive(three_then_two(), o);
    EXPECT_TRUE(r.exhausted);
    all.insert(r.handed.begin(), r.handed.end());
  }
  EXPECT_EQ(all, (std::multiset<std::string>{"Ax", "Ay", "Bx", "By", "Cx", "Cy"}));
}

TEST(Dfs, TheFrontierLimitFallsBackToRerunningWithTheSameSchedules) {
  ExploreOptions small;
  small.dfs_frontier_limit = 1;  // overflows after the first round
  Result a = drive(three_then_two(), ExploreOptions{}), b = drive(three_then_two(), small);
  EXPECT_TRUE(b.exhausted);
  EXPECT_EQ(std::multiset<std::string>(a.handed.begin(), a.handed.end()),
            std::multiset<std::string>(b.handed.begin(), b.handed.end()));
  EXPECT_EQ(a.choices, b.choices);
}

// A diamond: A then B, or B then A, reach the same state (id 7), with the same two endings below.
Node diamond() {
  auto below = [] { return choice({leaf("end1"), leaf("end2")}, 7); };
  return choice({choice({below(), leaf("A-alone")}), choice({below(), leaf("B-alone")})});
}

TEST(Dfs, WithoutReductionTheSharedStateIsExploredTwice) {
  Result r = drive(diamond(), ExploreOptions{});
  EXPECT_EQ(std::count(r.handed.begin(), r.handed.end(), "end2"), 2);
  EXPECT_EQ(r.pruned, 0u);
}

TEST(Dfs, StateMatchingExploresTheSharedStateOnceAndLosesNoEnding) {
  Result r = drive(diamond(), ExploreOptions{}, make_state_matching());
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(std::count(r.handed.begin(), r.handed.end(), "end2"), 1) << "below state 7 only once";
  std::set<std::string> endings(r.handed.begin(), r.handed.end());
  EXPECT_EQ(endings, (std::set<std::string>{"end1", "end2", "A-alone", "B-alone"}));
  EXPECT_GE(r.pruned, 1u);
}

TEST(Dfs, NoReductionCutsNothing) {
  auto none = make_no_reduction();
  Trace t;
  t.counts = {2, 2};
  t.taken = {0, 1};
  t.kinds = {ChoiceKind::thread_tie, ChoiceKind::thread_tie};
  t.states.push_back({1, Fingerprint{7, 7}, 0, 1});
  EXPECT_EQ(none->settle(t), 2u);
  EXPECT_EQ(none->settle(t), 2u);
  auto matching = make_state_matching();
  EXPECT_EQ(matching->settle(t), 2u);  // first meeting: owns state 7
  t.states[0].path = 2;                // the same state by another path, no fewer choices
  EXPECT_EQ(matching->settle(t), 1u);  // cut at the choice point where it met it
}

}  // namespace
}  // namespace vmmsim::explorer
