// prove_test.cpp: explore --prove (src/explorer/prove*.cpp) on scripted schedule trees, without the
// simulator. A TreeRunner walks a tree written by hand (schedule_tree.hpp): each inner node is
// a choice point with one option per child and may carry a state id (two nodes with the same id are
// the same state); a leaf named "fail..." ends its run stuck. The search forks real processes, so
// what the tests read is what the top process read off the shared board. Every search test runs
// by fork and by rerun: the two are the same search and must agree on every count.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "schedule_tree.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim {
namespace {

using schedule_tree::choice;
using schedule_tree::leaf;
using schedule_tree::Node;

class TreeRunner final : public ScenarioRunner {
 public:
  explicit TreeRunner(const Node& root) : root_(root) {}
  ScheduleRun run(Chooser& chooser) override {
    const Node* n = schedule_tree::walk(root_, chooser);
    if (n == nullptr) return {Outcome::finished, "", 0, true, {}, {}};
    bool fails = n->name.rfind("fail", 0) == 0;
    return {fails ? Outcome::stuck : Outcome::finished, fails ? "stuck: " + n->name : "", 0, false, {}, {}};
  }

 private:
  const Node& root_;
};

RunnerFactory factory(const Node& root) {
  return [&root] { return std::make_unique<TreeRunner>(root); };
}

ExploreOptions proving(BranchBy by = BranchBy::fork) {
  ExploreOptions o;
  o.prove = true;
  o.branch_by = by;
  return o;
}

class Prove : public testing::TestWithParam<BranchBy> {};
INSTANTIATE_TEST_SUITE_P(BothWays, Prove, testing::Values(BranchBy::fork, BranchBy::rerun),
                         [](const testing::TestParamInfo<BranchBy>& p) { return p.param == BranchBy::fork ? "fork" : "rerun"; });

TEST_P(Prove, WithoutStatesEveryLeafEndsOnceAndTheSpaceIsProved) {
  Node root = choice({choice({leaf("a"), leaf("b")}), choice({leaf("c"), leaf("d"), leaf("e")})});
  ExploreResult r = explore(factory(root), proving(GetParam()));
  ASSERT_TRUE(r.proof);
  EXPECT_TRUE(r.exhausted);
  EXPECT_FALSE(r.failure);
  EXPECT_EQ(r.schedules, 5u);
  EXPECT_EQ(r.outcomes[Outcome::finished], 5u);
  EXPECT_EQ(r.proof->transitions, 2u + 2u + 3u);  // every option of every choice point, once
  EXPECT_EQ(r.proof->unfingerprinted, 3u);
  // The last option of each point needs no process; rerun runs a schedule per leaf instead.
  if (GetParam() == BranchBy::fork) EXPECT_EQ(r.proof->forks, 1u + 1u + 2u);
  else EXPECT_EQ(r.runs, 5u);
  EXPECT_EQ(r.proof->max_depth, 2u);
  EXPECT_EQ(r.states, 0u);
}

TEST_P(Prove, AStateMetTwiceIsExpandedOnce) {
  // Both options of the root reach state 7; its two leaves end once, and the second visit matches.
  Node shared = choice({leaf("x"), leaf("y")}, 7);
  Node root = choice({shared, shared}, 1);
  ExploreResult r = explore(factory(root), proving(GetParam()));
  ASSERT_TRUE(r.proof);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.states, 2u);
  EXPECT_EQ(r.proof->matched, 1u);
  EXPECT_EQ(r.schedules, 2u);
  EXPECT_EQ(r.proof->transitions, 4u);
}

TEST_P(Prove, TheFirstFailureInSearchOrderComesBackAsItsSchedule) {
  // Option 0 first, depth first: "ok" ends, then the failure under option 1, option 0 of its point.
  Node root = choice({leaf("ok"), choice({leaf("fail here"), leaf("fail later")})});
  ExploreOptions o = proving(GetParam());
  o.shrink = false;
  ExploreResult r = explore(factory(root), o);
  ASSERT_TRUE(r.failure);
  EXPECT_FALSE(r.exhausted);
  EXPECT_EQ(r.failure->found_at, 2u);
  EXPECT_EQ(r.failure->run.outcome, Outcome::stuck);
  EXPECT_EQ(r.failure->run.message, "stuck: fail here");
  EXPECT_TRUE(r.failure->replays_same);
  ASSERT_EQ(r.failure->schedule.picks.size(), 1u);
  EXPECT_EQ(r.failure->schedule.picks.at(0), 1u);
  EXPECT_EQ(r.schedules, 2u);  // the search stopped there: "fail later" never ended
}

TEST_P(Prove, OptionZerosSubtreeComesBeforeTheNextOption) {
  // Depth first from the default run: all of option 0's subtree (its deeper alternatives first),
  // then option 1. "fail deep" ends third; "fail shallow" would have been second breadth-first.
  Node root = choice({choice({leaf("ok 1"), choice({leaf("ok 2"), leaf("fail deep")})}), leaf("fail shallow")});
  ExploreOptions o = proving(GetParam());
  o.shrink = false;
  ExploreResult r = explore(factory(root), o);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->run.message, "stuck: fail deep");
  EXPECT_EQ(r.failure->found_at, 3u);
  EXPECT_EQ(r.proof->transitions, 2u + 2u + 2u - 1u);  // the root's option 1 was never taken
}

TEST_P(Prove, AFullStoreStopsTheSearchAndProvesNothing) {
  Node root = choice({choice({leaf("a"), leaf("b")}, 2), choice({leaf("c"), leaf("d")}, 3)}, 1);
  ExploreOptions o = proving(GetParam());
  o.max_states = 2;
  ExploreResult r = explore(factory(root), o);
  ASSERT_TRUE(r.proof);
  EXPECT_FALSE(r.exhausted);
  EXPECT_TRUE(r.proof->store_full);
  EXPECT_EQ(r.states, 2u);
  EXPECT_EQ(r.schedules, 2u);  // the leaves under state 2; state 3 found no room
}

TEST_P(Prove, AnInterruptStopsTheSearchIncomplete) {
  Node root = choice({leaf("a"), leaf("b")});
  std::atomic<bool> stop{true};
  ExploreOptions o = proving(GetParam());
  o.interrupt = &stop;
  ExploreResult r = explore(factory(root), o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.exhausted);
}

TEST_P(Prove, OptionsItCannotHonourAreRefused) {
  Node root = leaf("a");
  ExploreOptions o = proving(GetParam());
  o.jobs = 2;
  EXPECT_THROW(explore(factory(root), o), std::invalid_argument);
  o = proving(GetParam());
  o.reduce = true;
  EXPECT_THROW(explore(factory(root), o), std::invalid_argument);
  o = proving(GetParam());
  o.strategy = Strategy::random;
  EXPECT_THROW(explore(factory(root), o), std::invalid_argument);
  o = proving(GetParam());
  o.shards = 2;
  EXPECT_THROW(explore(factory(root), o), std::invalid_argument);
  o = proving(GetParam());
  o.max_states = 0;
  EXPECT_THROW(explore(factory(root), o), std::invalid_argument);
}

TEST(ProveByFork, AProcessWithAnotherThreadIsRefused) {
  Node root = leaf("a");
  std::atomic<bool> release{false};
  std::thread other([&] {
    while (!release.load()) std::this_thread::yield();
  });
  try {
    explore(factory(root), proving(BranchBy::fork));
    ADD_FAILURE() << "explore --prove forked with another thread running";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("2 threads"), std::string::npos) << e.what();
  }
  release = true;
  other.join();
}

}  // namespace
}  // namespace vmmsim
