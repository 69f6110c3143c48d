// explorer_test.cpp: vmmsim::explore through the C++ API (issue 3 items 2-6): DFS enumerates the
// number of schedules computed by hand, shards split it without overlap, --jobs does not change the
// result, failures are shrunk and replay.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "vmmsim/vmmsim.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::test {
namespace {

// Orders: the orders seen across runs (runs happen on several threads with jobs > 1).
struct Orders {
  std::mutex mutex;
  std::multiset<std::string> seen;
  void add(const std::string& order) {
    std::lock_guard lock(mutex);
    seen.insert(order);
  }
  std::size_t distinct() {
    std::lock_guard lock(mutex);
    return std::set<std::string>(seen.begin(), seen.end()).size();
  }
};

// One thread queues three global events A, B, C; each appends its letter. At the processing point
// the explorer picks the first of 3, then of 2: 3! = 6 orders, 6 schedules. By rounds: 1 with no
// non-default choice (ABC), 3 with one (BAC, CAB, ACB), 2 with two (BCA, CBA).
Scenario three_events(Orders& orders) {
  return [&orders](Machine& m) {
    auto order = std::make_shared<std::string>();
    m.create_thread("T", [order, &orders] {
      for (char c : std::string("ABC"))
        Schedule_Global_Event([order, c](const EventContext&) { order->push_back(c); }, 0);
      ring3(1);
      orders.add(*order);
    });
  };
}

ExploreOptions dfs(std::uint64_t budget = 10000) {
  ExploreOptions o;
  o.strategy = Strategy::dfs;
  o.schedules = budget;
  return o;
}

TEST(ExploreDfs, EnumeratesTheSixOrdersOfThreeGlobalEventsExactly) {
  Orders orders;
  ExploreResult r = explore(runner_for(three_events(orders)), dfs());
  EXPECT_TRUE(r.exhausted);
  EXPECT_FALSE(r.failure);
  EXPECT_EQ(r.schedules, 6u);
  EXPECT_EQ(r.dfs_round, 3u);  // round 3 found no schedule: the space ends at two non-default choices
  EXPECT_EQ(orders.distinct(), 6u);
  // The tree: a 3-way point, then three 2-way points: 4 points, 9 options, all covered.
  EXPECT_EQ(r.choice_points, 4u);
  EXPECT_EQ(r.options_seen, 9u);
  EXPECT_EQ(r.options_covered, 9u);
  EXPECT_EQ(r.outcomes[Outcome::finished], 6u);
}

// Three threads of equal priority, each finishing at once: the scheduler's ties give 3! orders.
TEST(ExploreDfs, EnumeratesTheSixOrdersOfThreeTiedThreads) {
  Orders orders;
  Scenario s = [&orders](Machine& m) {
    auto order = std::make_shared<std::string>();
    for (const char* name : {"A", "B", "C"})
      m.create_thread(name, [order, name, &orders] {
        *order += name;
        if (order->size() == 3) orders.add(*order);
      });
  };
  ExploreResult r = explore(runner_for(s), dfs());
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.schedules, 6u);
  EXPECT_EQ(orders.distinct(), 6u);
}

Scenario c_must_not_be_first();  // below: a planted bug

// Past its memory bound, dfs re-runs schedules to find the next round's: the same schedules, in the
// same order, with more runs.
TEST(ExploreDfs, ReRunningPastTheFrontierLimitGivesTheSameSchedules) {
  Orders kept, rerun;
  ExploreResult a = explore(runner_for(three_events(kept)), dfs());
  ExploreOptions o = dfs();
  o.dfs_frontier_limit = 1;
  ExploreResult b = explore(runner_for(three_events(rerun)), o);
  EXPECT_TRUE(b.exhausted);
  EXPECT_EQ(b.schedules, 6u);
  EXPECT_EQ(rerun.distinct(), 6u);
  EXPECT_EQ(a.schedules, b.schedules);
  EXPECT_EQ(a.choice_points, b.choice_points);
  EXPECT_EQ(a.runs, 6u);  // the frontier: every schedule ran once
  EXPECT_GT(b.runs, a.runs);
  ExploreResult f = explore(runner_for(c_must_not_be_first()), o);
  ASSERT_TRUE(f.failure);
  EXPECT_EQ(f.failure->found_at, 3u);
}

TEST(ExploreDfs, TheBudgetStopsItAndSaysTheSpaceIsNotExhausted) {
  Orders orders;
  ExploreResult r = explore(runner_for(three_events(orders)), dfs(4));
  EXPECT_FALSE(r.exhausted);
  EXPECT_EQ(r.schedules, 4u);
  EXPECT_EQ(r.dfs_round, 1u);  // the budget ran out in round 1 (after 1 + 3 schedules)
}

// model.md section 3: classes keeps global before VM before thread events; any permutes across.
TEST(ExploreDfs, EventOrderAnyPermutesAcrossClassesAndClassesDoesNot) {
  Orders orders;
  Scenario s = [&orders](Machine& m) {
    auto order = std::make_shared<std::string>();
    m.create_thread("T", [order, &orders] {
      Schedule_Thread_Event(Get_Cur_Thread_Handle(), [order](const EventContext&) { *order += "t"; }, 0);
      Schedule_Global_Event([order](const EventContext&) { *order += "g"; }, 0);
      ring3(1);
      orders.add(*order);
    });
  };
  ExploreResult classes = explore(runner_for(s), dfs());
  EXPECT_TRUE(classes.exhausted);
  EXPECT_EQ(classes.schedules, 1u);
  EXPECT_EQ(orders.distinct(), 1u);
  ExploreOptions any = dfs();
  any.space.event_order_any = true;
  ExploreResult r = explore(runner_for(s), any);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.schedules, 2u);
  EXPECT_EQ(orders.distinct(), 2u);
}

TEST(ExploreShards, ShardsCoverTheSpaceWithoutOverlap) {
  for (unsigned shards : {2u, 3u, 5u}) {
    Orders orders;
    std::uint64_t total = 0;
    for (unsigned k = 0; k < shards; ++k) {
      ExploreOptions o = dfs();
      o.shard = k;
      o.shards = shards;
      ExploreResult r = explore(runner_for(three_events(orders)), o);
      EXPECT_TRUE(r.exhausted);
      total += r.schedules;
    }
    EXPECT_EQ(total, 6u) << shards << " shards";
    EXPECT_EQ(orders.distinct(), 6u) << shards << " shards";
  }
}

// A planted bug: C must not run first. Found in round 1; the token replays it.
Scenario c_must_not_be_first() {
  return [](Machine& m) {
    auto order = std::make_shared<std::string>();
    m.create_thread("T", [order] {
      for (char c : std::string("ABC"))
        Schedule_Global_Event([order, c](const EventContext&) {
          if (order->empty() && c == 'C') throw std::runtime_error("C ran first");
          order->push_back(c);
        }, 0);
      ring3(1);
    });
  };
}

TEST(ExploreFailure, DfsFindsThePlantedBugWithOneChoiceAndItsTokenReplays) {
  ExploreResult r = explore(runner_for(c_must_not_be_first()), dfs());
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->run.outcome, Outcome::error);
  EXPECT_NE(r.failure->run.message.find("C ran first"), std::string::npos);
  EXPECT_EQ(r.failure->found_at, 3u);  // ABC, BAC, then CAB
  EXPECT_EQ(r.failure->schedule.picks.size(), 1u);
  EXPECT_TRUE(r.failure->replays_same);
  ASSERT_EQ(r.failure->choices.size(), 1u);
  EXPECT_EQ(r.failure->choices[0].kind, ChoiceKind::event_order);
  // Replay through the public Schedule API.
  auto parsed = Schedule::parse(r.failure->schedule.token(), nullptr);
  ASSERT_TRUE(parsed);
  ReplayChooser replay(*parsed);
  Machine m;
  m.set_chooser(&replay);
  c_must_not_be_first()(m);
  RunResult again = m.run();
  EXPECT_EQ(again.outcome, Outcome::error);
  EXPECT_EQ(again.message, r.failure->run.message);
}

// Noise: ten tied threads give random schedules many non-default choices; the bug needs one.
Scenario noisy_c_must_not_be_first() {
  return [](Machine& m) {
    for (int i = 0; i < 6; ++i) m.create_thread("noise" + std::to_string(i), [] { ring3(1); });
    c_must_not_be_first()(m);
  };
}

TEST(ExploreFailure, RandomFindsItAndShrinkingLeavesOneChoice) {
  ExploreOptions o;
  o.strategy = Strategy::random;
  o.seed = 3;
  ExploreResult r = explore(runner_for(noisy_c_must_not_be_first()), o);
  ASSERT_TRUE(r.failure);
  EXPECT_GT(r.failure->found_choices, 1u);  // random took many non-default choices ...
  EXPECT_EQ(r.failure->schedule.picks.size(), 1u);  // ... one is the bug
  EXPECT_TRUE(r.failure->replays_same);
  EXPECT_NE(r.failure->run.message.find("C ran first"), std::string::npos);
}

TEST(ExploreFailure, WithoutShrinkingTheScheduleIsHandedBackAsFound) {
  ExploreOptions o;
  o.strategy = Strategy::random;
  o.seed = 3;
  o.shrink = false;
  ExploreResult r = explore(runner_for(noisy_c_must_not_be_first()), o);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->schedule.picks.size(), r.failure->found_choices);
}

TEST(ExploreFailure, PctFindsTheTieBug) {
  // The Resume_Exec hang of examples/explore/resume_exec_tie.lua in C++: only when the worker runs
  // before the client.
  Scenario s = [](Machine& m) {
    auto worker = std::make_shared<THREADHANDLE>(nullptr);
    auto done = std::make_shared<bool>(false);
    m.create_thread("client", [worker, done] {
      if (*worker == nullptr) {
        *done = true;
        return;
      }
      Call_Restricted_Event(0, *worker, PEF_Thread_Event | PEF_Always_Sched, 0,
                            [done](const EventContext&) { *done = true; });
      Begin_Nest_Exec();
      while (!*done) Resume_Exec();
      End_Nest_Exec();
      _SignalID(1);
    }, 0x100);
    m.create_thread("worker", [worker, done] {
      *worker = Get_Cur_Thread_Handle();
      while (!*done) _BlockOnID(1, Block_Svc_Ints);
    }, 0x100);
  };
  ExploreOptions o;
  o.strategy = Strategy::pct;
  o.seed = 1;
  ExploreResult r = explore(runner_for(s), o);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->run.outcome, Outcome::starved);
  EXPECT_EQ(r.failure->schedule.picks.size(), 1u);
}

// Issue 16 item 4: random and pct stop once the schedules drawn are the whole space (six orders of
// three events here), and say so, instead of drawing the same schedules until the budget ends.
TEST(ExploreRandom, RandomAndPctStopWhenTheSpaceIsCovered) {
  for (Strategy strategy : {Strategy::random, Strategy::pct}) {
    for (unsigned jobs : {1u, 2u}) {
      Orders orders;
      ExploreOptions o;
      o.strategy = strategy;
      o.schedules = 1000000;
      o.jobs = jobs;
      ExploreResult r = explore(runner_for(three_events(orders)), o);
      EXPECT_TRUE(r.covered) << strategy_name(strategy);
      EXPECT_TRUE(r.exhausted);
      EXPECT_FALSE(r.failure);
      EXPECT_EQ(orders.distinct(), 6u);
      EXPECT_LT(r.schedules, 1000u) << strategy_name(strategy) << " drew on after the space was covered";
      EXPECT_EQ(r.options_covered, r.options_seen);
    }
  }
}

TEST(ExploreRandom, TheBudgetStillEndsASpaceTooLargeToCover) {
  Orders orders;
  ExploreOptions o;
  o.strategy = Strategy::random;
  o.schedules = 3;
  ExploreResult r = explore(runner_for(three_events(orders)), o);
  EXPECT_FALSE(r.covered);
  EXPECT_FALSE(r.exhausted);
  EXPECT_EQ(r.schedules, 3u);
}

// Issue 3 item 4: "the same first failure for the same seed whatever N".
TEST(ExploreJobs, TheResultDoesNotDependOnTheNumberOfWorkers) {
  for (Strategy strategy : {Strategy::dfs, Strategy::random, Strategy::pct}) {
    ExploreOptions o;
    o.strategy = strategy;
    o.seed = 11;
    o.schedules = 300;
    ExploreResult one = explore(runner_for(noisy_c_must_not_be_first()), o);
    for (unsigned jobs : {2u, 4u}) {
      o.jobs = jobs;
      ExploreResult many = explore(runner_for(noisy_c_must_not_be_first()), o);
      ASSERT_EQ(one.failure.has_value(), many.failure.has_value());
      if (one.failure) {
        EXPECT_EQ(one.failure->found_at, many.failure->found_at) << strategy_name(strategy) << " jobs " << jobs;
        EXPECT_EQ(one.failure->schedule.token(), many.failure->schedule.token());
      }
      EXPECT_EQ(one.schedules, many.schedules);
      EXPECT_EQ(one.outcomes, many.outcomes);
      EXPECT_EQ(one.choice_points, many.choice_points);
      EXPECT_EQ(one.options_covered, many.options_covered);
    }
  }
}

TEST(ExploreJobs, NoFailureRunsTheSameScheduleCountWhateverTheWorkers) {
  Orders orders;
  ExploreOptions o = dfs();
  o.jobs = 3;
  ExploreResult r = explore(runner_for(three_events(orders)), o);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.schedules, 6u);
}

TEST(ExploreOptionsCheck, OutOfRangeOptionsAreRefusedWithTheirName) {
  Orders orders;
  ExploreOptions o = dfs();
  o.shard = 2;
  o.shards = 2;
  try {
    explore(runner_for(three_events(orders)), o);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--shard 2/2"), std::string::npos) << e.what();
  }
  o = dfs();
  o.jobs = 0;
  EXPECT_THROW(explore(runner_for(three_events(orders)), o), std::invalid_argument);
}

TEST(ExploreFailureSignature, TimesAreBlankedAndLineNumbersKept) {
  EXPECT_EQ(failure_signature(Outcome::stuck, "stuck: at 2.000 ms no thread can run\n  more"),
            "stuck: stuck: at # ms no thread can run");
  EXPECT_EQ(failure_signature(Outcome::error, "x.lua:12: boom"), "error: x.lua:12: boom");
}

// CountingRunner: runs the scenario with a chooser that forwards to the explorer's and counts the
// tie points at which it asks for the state's fingerprint.
class CountingRunner final : public ScenarioRunner {
 public:
  CountingRunner(std::unique_ptr<ScenarioRunner> inner, std::size_t& asked) : inner_(std::move(inner)), asked_(asked) {}
  ScheduleRun run(Chooser& chooser) override {
    Forward forward(chooser, asked_);
    return inner_->run(forward);
  }

 private:
  struct Forward final : Chooser {
    Forward(Chooser& c, std::size_t& n) : inner(c), asked(n) {}
    bool active() const override { return inner.active(); }
    ChoiceSpace space() const override { return inner.space(); }
    std::size_t choose(const ChoicePoint& point) override { return inner.choose(point); }
    bool wants_states() const override { return inner.wants_states(); }
    bool wants_state_here() const override {
      bool here = inner.wants_state_here();
      asked += here;
      return here;
    }
    Chooser& inner;
    std::size_t& asked;
  };
  std::unique_ptr<ScenarioRunner> inner_;
  std::size_t& asked_;
};

// Three threads of one priority, each finishing at once: a tie of 3 at the start, then one of 2:
// 6 schedules, and 1 + 3 = 4 tie points in the tree of schedules. With state matching, a schedule
// replays its parent's run up to its last pick, whose states are known: each tie point of the tree
// is fingerprinted once (not 6 x 2 = 12 times).
TEST(ExploreDfs, StateMatchingFingerprintsEachTiePointOfTheTreeOnce) {
  Scenario three = [](Machine& m) {
    for (const char* name : {"A", "B", "C"}) m.create_thread(name, [] {});
  };
  std::size_t asked = 0;
  RunnerFactory counting = [&] { return std::make_unique<CountingRunner>(runner_for(three)(), asked); };
  ExploreOptions o = dfs();
  o.reduce = true;
  ExploreResult r = explore(counting, o);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.schedules, 6u);
  EXPECT_EQ(asked, 4u);
}

}  // namespace
}  // namespace vmmsim::test
