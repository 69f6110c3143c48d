// ids_test.cpp: IDs of _BlockOnID/_SignalID: integers are the BlockId itself; strings are interned
// (one BlockId per distinct string, named in the log); other values are errors naming the service.
#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class Ids : public ScenarioTest {};

// waiter_and_signaller: W blocks on block_id; S signals signal_id once W is blocked.
std::string waiter_and_signaller(const std::string& block_id, const std::string& signal_id) {
  return "vmm.create_thread{name = 'W', priority = 0x10, body = function() vmm._BlockOnID(" + block_id +
         ", 0) vmm.log('W woke') end}\n"
         "vmm.create_thread{name = 'S', body = function() vmm._SignalID(" + signal_id + ") end}\n";
}

TEST_F(Ids, TheSameStringIsTheSameId) {
  LuaRunResult r = run(waiter_and_signaller("'door'", "'do' .. 'or'"));
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), Contains("W woke"));
}

TEST_F(Ids, StringIdsAreNamedInTheLog) {
  run(waiter_and_signaller("'door'", "'door'"));
  bool named = false;
  for (const std::string& text : log_.texts("block")) named |= text.find("'door'") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_F(Ids, IntegerValuedFloatsAreIntegers) {
  LuaRunResult r = run(waiter_and_signaller("7", "7.0"));
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

TEST_F(Ids, AStringIsNotTheIntegerItSpells) {
  LuaRunResult r = run(waiter_and_signaller("'7'", "7"));
  EXPECT_EQ(r.outcome, Outcome::stuck);
}

TEST_F(Ids, DistinctStringsAreDistinctIds) {
  LuaRunResult r = run(waiter_and_signaller("'a'", "'b'"));
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_THAT(r.message, HasSubstr("'a'"));
}

TEST_F(Ids, StringIdsDoNotCollideWithSmallIntegers) {
  // The first interned string gets index 0; its BlockId has the top bit set, so it is not ID 0.
  LuaRunResult r = run(waiter_and_signaller("'first'", "0"));
  EXPECT_EQ(r.outcome, Outcome::stuck);
}

TEST_F(Ids, NonIntegralNumbersAreErrors) {
  LuaRunResult r = run("vmm.create_thread{name = 'S', body = function()\n  vmm._SignalID(0.5)\nend}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, path("s.lua") + ":2: _SignalID: argument #1 'id' must be an integer or a string, got 0.5");
}

}  // namespace

}  // namespace vmmsim::lua::test
