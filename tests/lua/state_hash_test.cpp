// state_hash_test.cpp: the scenario's part of a state fingerprint (lua_state_hash.cpp, model.md
// section 7 "Pruning"), seen through what explore --reduce prunes. Four threads of one priority
// each store something, then block on an ID of their own (no waiter list keeps their order); a
// lower-priority thread wakes them. Every order of the four is a schedule of plain dfs (576 in all).
// A store whose result depends on the order (n = n * 10 + i) gives a different state for every
// order: nothing may be pruned, wherever n lives. A store that does not (the set of threads that
// ran) gives the same state for orders that ran the same threads: pruning must find them, however
// the table holding the set was filled.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::lua::test {
namespace {

class StateHash : public ScenarioTest {
 protected:
  // explore: dfs over the four stores of `store` (a statement using i), with state matching or not.
  ExploreResult explore_store(const std::string& store, bool reduce) {
    std::string source = R"(
local box = {n = 0}
string.n = 0
n_global = 0
local n, mask = 0, 0
for i = 1, 4 do
  vmm.create_thread{name = "T" .. i, priority = 0x200, body = function()
    )" + store + R"(
    vmm._BlockOnID("go" .. i, 0)
  end}
end
vmm.create_thread{name = "last", priority = 0x100, body = function()
  for i = 1, 4 do vmm._SignalID("go" .. i) end
end}
)";
    std::string file = write("store.lua", source);
    ExploreOptions o;
    o.strategy = Strategy::dfs;
    o.schedules = 100000;
    o.reduce = reduce;
    return explore(explore_runner(file, source, reduce), o);
  }
};

TEST_F(StateHash, WritesToAnyTableArePartOfTheState) {
  ExploreResult plain = explore_store("n = n * 10 + i", false);
  ASSERT_TRUE(plain.exhausted);
  EXPECT_EQ(plain.schedules, 576u);
  // The same counts wherever the order-dependent value lives: an upvalue, a table of the scenario,
  // a library table (whose fingerprint is remembered between choice points), a global.
  for (const char* store : {"n = n * 10 + i", "box.n = box.n * 10 + i", "string.n = string.n * 10 + i",
                            "n_global = n_global * 10 + i"}) {
    SCOPED_TRACE(store);
    ExploreResult r = explore_store(store, true);
    EXPECT_TRUE(r.exhausted);
    EXPECT_EQ(r.schedules, plain.schedules);
    EXPECT_EQ(r.pruned, 0u);
    EXPECT_GT(r.states, 0u);
  }
}

TEST_F(StateHash, TheSameEntriesMakeTheSameStateWhateverOrderTheyWereAddedIn) {
  ExploreResult mask = explore_store("mask = mask | (1 << i)", true);
  ASSERT_TRUE(mask.exhausted);
  EXPECT_LT(mask.schedules, 576u);
  EXPECT_GT(mask.pruned, 0u);
  for (const char* store : {"box['k' .. i] = true", "string['k' .. i] = true", "_G['k' .. i] = true"}) {
    SCOPED_TRACE(store);
    ExploreResult r = explore_store(store, true);
    EXPECT_TRUE(r.exhausted);
    EXPECT_EQ(r.schedules, mask.schedules);
    EXPECT_EQ(r.pruned, mask.pruned);
    EXPECT_EQ(r.states, mask.states);
  }
}

// A value that goes and comes back: the table's remembered entries must follow it both ways.
TEST_F(StateHash, ATableChangedAndChangedBackIsTheSameStateAgain) {
  ExploreResult mask = explore_store("mask = mask | (1 << i)", true);
  ExploreResult r = explore_store("string.tmp = i; string['k' .. i] = true; string.tmp = nil", true);
  EXPECT_EQ(r.schedules, mask.schedules);
  EXPECT_EQ(r.states, mask.states);
}

// Recording: takes the default at every choice point and keeps the fingerprints offered there.
class Recording final : public Chooser {
 public:
  std::size_t choose(const ChoicePoint& point) override {
    states.push_back(point.state != nullptr ? std::optional<Fingerprint>(*point.state) : std::nullopt);
    return 0;
  }
  bool wants_states() const override { return true; }
  std::vector<std::optional<Fingerprint>> states;
};

// Between the first tie point and the second, T1 copies V into a library table and forgets V: at
// the second point the runs for V = 1 and V = 2 differ only in string.n. The table's fingerprint
// was remembered at the first point (string.n = 0 in both); it must be checked again, not reused.
TEST_F(StateHash, ALibraryTableWrittenBetweenTwoChoicePointsChangesTheNextFingerprint) {
  auto second_state = [this](int v) {
    std::string source = "local V = " + std::to_string(v) + R"(
string.n = 0
for i = 1, 3 do
  vmm.create_thread{name = "T" .. i, body = function()
    if i == 1 then string.n = V; V = nil end
    vmm._BlockOnID("x" .. i, 0)
  end}
end
vmm.create_thread{name = "last", priority = 0, body = function()
  for i = 1, 3 do vmm._SignalID("x" .. i) end
end}
)";
    Recording chooser;
    LuaRunOptions options;
    options.file = write("v.lua", source);
    options.chooser = &chooser;
    options.state_matching = true;
    LuaRunResult r = run_lua_scenario(options);
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_GE(chooser.states.size(), 2u);
    EXPECT_TRUE(chooser.states.size() >= 2 && chooser.states[0] && chooser.states[1]);
    return chooser.states.size() >= 2 ? chooser.states[1] : std::nullopt;
  };
  std::optional<Fingerprint> one = second_state(1), two = second_state(2), one_again = second_state(1);
  ASSERT_TRUE(one && two && one_again);
  EXPECT_NE(*one, *two);
  EXPECT_EQ(*one, *one_again);  // a fresh Lua state for each run: the same state, the same fingerprint
}

}  // namespace
}  // namespace vmmsim::lua::test
