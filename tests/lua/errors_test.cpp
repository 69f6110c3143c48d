// errors_test.cpp: how errors reach the user: "file.lua:12: message" for every uncaught error,
// wherever the Lua code ran (top level, body, callback, interrupt handler, on_exit); service errors
// a scenario can catch with pcall, their message starting with the service's name.
#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

class Errors : public ScenarioTest {
 protected:
  // at: "<path of s.lua>:<line>: <message>"
  std::string at(int line, const std::string& message) const {
    return path("s.lua") + ":" + std::to_string(line) + ": " + message;
  }
};

TEST_F(Errors, SyntaxErrorNamesFileAndLine) {
  LuaRunResult r = run("local a = 1\nlocal = 2\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.message, StartsWith(at(2, "")));
  EXPECT_FALSE(r.run.has_value());
}

TEST_F(Errors, TopLevelRuntimeError) {
  LuaRunResult r = run("local t = nil\n\nlocal x = t.field\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.message, at(3, "attempt to index a nil value (local 't')"));
}

TEST_F(Errors, ErrorInABody) {
  LuaRunResult r = run("vmm.create_thread{name = 'A', body = function()\n  vmm.ring3(1)\n  error('boom')\nend}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, at(3, "boom"));
}

TEST_F(Errors, ErrorWithoutPositionGetsOne) {
  LuaRunResult r = run("vmm.create_thread{name = 'A', body = function()\n  error('plain', 0)\nend}\n");
  EXPECT_EQ(r.message, at(2, "plain"));
}

TEST_F(Errors, NonStringErrorObject) {
  LuaRunResult r = run("vmm.create_thread{name = 'A', body = function()\n  error({})\nend}\n");
  EXPECT_EQ(r.message, at(2, "(error object is a table value)"));
}

TEST_F(Errors, UncaughtServiceErrorNamesTheCallingLine) {
  LuaRunResult r = run(
      "vmm.create_thread{name = 'A', body = function()\n"
      "  vmm.Call_Restricted_Event(0, 0, vmm.PEF_Wait_For_STI | vmm.PEF_Wait_For_Thread_STI, nil,\n"
      "                            function() end)\n"
      "end}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, at(2, "Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI"));
}

TEST_F(Errors, PcallCatchesAServiceErrorVerbatim) {
  LuaRunResult r = run(R"(
    vmm.create_thread{name = 'A', body = function()
      local ok, msg = pcall(vmm.Call_Restricted_Event, 0, 0,
                            vmm.PEF_Wait_For_STI | vmm.PEF_Wait_For_Thread_STI, nil, function() end)
      vmm.log("%s %s", tostring(ok), msg)
      ok, msg = pcall(vmm.End_Nest_Exec)
      vmm.log("%s", msg:match("^[%w_]+:") or msg)
      vmm.log("still running")
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(),
              ElementsAre("false Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI",
                          "End_Nest_Exec:", "still running"));
}

TEST_F(Errors, ErrorInAQueuedCallback) {
  LuaRunResult r = run(
      "vmm.create_thread{name = 'A', body = function()\n"
      "  vmm.Schedule_Global_Event(function(e)\n"
      "    local n = nil + 1\n"
      "  end, 0)\n"
      "  vmm.ring3(5)\n"
      "  vmm.log('not reached')\n"
      "end}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, at(3, "attempt to perform arithmetic on a nil value"));
  EXPECT_TRUE(log_.logged().empty());
}

TEST_F(Errors, ErrorInAnImmediateCallbackIsNotCaughtByPcall) {
  // The callback's failure ends the run: a pcall around the service that ran it must not turn it
  // into a value the body could ignore.
  LuaRunResult r = run(
      "vmm.create_thread{name = 'A', body = function()\n"
      "  local ok = pcall(vmm.Call_Global_Event, function()\n"
      "    error('in callback')\n"
      "  end, 0)\n"
      "  vmm.log('after pcall %s', tostring(ok))\n"
      "end}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, at(3, "in callback"));
  EXPECT_TRUE(log_.logged().empty());
}

TEST_F(Errors, ErrorInAnInterruptHandlerWhileOtherThreadsWait) {
  LuaRunResult r = run(
      "vmm.create_thread{name = 'W', body = function() vmm._BlockOnID('never', 0) end}\n"
      "vmm.create_thread{name = 'A', body = function() vmm.ring3(10) end}\n"
      "vmm.at(3, function()\n"
      "  error('irq failed')\n"
      "end)\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, at(4, "irq failed"));
  EXPECT_DOUBLE_EQ(r.end_ms, 3.0);
}

TEST_F(Errors, ErrorInOnExit) {
  LuaRunResult r = run("vmm.on_exit(function(outcome)\n  error('exit ' .. outcome)\nend)\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.message, at(2, "exit finished"));
  ASSERT_TRUE(r.run.has_value());
  EXPECT_EQ(r.run->outcome, Outcome::finished);
}

}  // namespace

}  // namespace vmmsim::lua::test
