// determinism_test.cpp: a run depends only on the scenario and the seed: math.random is seeded with
// it (Lua 5.4 would otherwise seed from the clock), and the log is the same byte for byte.
#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

constexpr const char* kRandom = R"(
  vmm.log("top %d", math.random(1 << 30))
  for i = 1, 2 do
    vmm.create_thread{name = "T" .. i, body = function()
      vmm.ring3(math.random(1, 5))
      vmm.log("%s %d %.6f", vmm.current_thread().name, math.random(1 << 30), math.random())
    end}
  end
)";

class Determinism : public ScenarioTest {
 protected:
  std::vector<std::string> run_texts(std::uint64_t seed) {
    log_.records.clear();
    LuaRunResult r = run(kRandom, seed);
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    std::vector<std::string> lines;
    for (const LogRecord& rec : log_.records) lines.push_back(std::to_string(rec.t_ms) + " " + rec.thread + " " + rec.text);
    return lines;
  }
};

TEST_F(Determinism, SameSeedSameLog) {
  std::vector<std::string> first = run_texts(42);
  std::vector<std::string> second = run_texts(42);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST_F(Determinism, NoSeedIsSeedZero) {
  EXPECT_EQ(run_texts(0), run_texts(0));
  LuaRunOptions options;
  options.file = write("z.lua", "vmm.log('%d', math.random(1 << 30))");
  Capture a, b;
  options.log = &a;
  run_lua_scenario(options);
  options.seed = 0;
  options.has_seed = true;
  options.log = &b;
  run_lua_scenario(options);
  ASSERT_EQ(a.logged().size(), 1u);
  EXPECT_EQ(a.logged(), b.logged());
}

TEST_F(Determinism, DifferentSeedsDifferentRandomNumbers) {
  EXPECT_NE(run_texts(1), run_texts(2));
}

}  // namespace

}  // namespace vmmsim::lua::test
