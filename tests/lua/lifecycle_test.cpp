// lifecycle_test.cpp: a run from file to on_exit: unreadable files, on_exit and its outcome names,
// values returned by services, registry references released with the callbacks that hold them.
#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

class Lifecycle : public ScenarioTest {};

TEST_F(Lifecycle, MissingFileIsAUsageError) {
  LuaRunOptions options;
  options.file = path("missing.lua");
  LuaRunResult r = run_lua_scenario(options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.message, "cannot open '" + options.file + "': No such file or directory");
  EXPECT_FALSE(r.run.has_value());
}

TEST_F(Lifecycle, DirectoryIsAUsageError) {
  LuaRunOptions options;
  options.file = dir_.string();
  LuaRunResult r = run_lua_scenario(options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.message, "cannot read '" + options.file + "': Is a directory");
}

TEST_F(Lifecycle, ShebangLineIsSkippedAndLinesStillCount) {
  LuaRunResult r = run("#!/usr/bin/env vmmsim run\nerror('second line')\n");
  EXPECT_EQ(r.message, path("s.lua") + ":2: second line");
}

TEST_F(Lifecycle, VmmIsAlsoAModule) {
  LuaRunResult r = run("assert(require('vmm') == vmm)");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

struct ExitCase {
  const char* scenario;
  Outcome outcome;
  const char* name;
};

class OnExit : public ScenarioTest, public ::testing::WithParamInterface<ExitCase> {};

TEST_P(OnExit, ReceivesTheOutcomeName) {
  const ExitCase& c = GetParam();
  LuaRunResult r = run(std::string(c.scenario) +
                       "\nvmm.on_exit(function(o) vmm.log('first %s %.3f', o, vmm.now()) end)"
                       "\nvmm.on_exit(function(o) vmm.log('second %s', o) end)\n");
  EXPECT_EQ(r.outcome, c.outcome) << r.message;
  EXPECT_EQ(r.exit_code, exit_code(c.outcome));
  char first[64];
  std::snprintf(first, sizeof first, "first %s %.3f", c.name, r.end_ms);
  EXPECT_THAT(log_.logged(), ElementsAre(first, std::string("second ") + c.name));
}

const ExitCase kExitCases[] = {
    {"vmm.create_thread{name = 'A', body = function() vmm.ring3(2) end}", Outcome::finished, "finished"},
    {"vmm.create_thread{name = 'A', body = function() vmm._BlockOnID('never', 0) end}", Outcome::stuck, "stuck"},
    {"vmm.config{max_time = 5}\nvmm.create_thread{name = 'A', body = function() vmm.ring3(10) end}",
     Outcome::time_limit, "time_limit"},
    {R"(local done = false
        local B = vmm.create_thread{name = "B", priority = 0x100, body = function()
          vmm._BlockOnID("B-idle", vmm.Block_Svc_Ints) end}
        vmm.create_thread{name = "A", priority = 0x100, body = function()
          vmm.Call_Restricted_Event(0, B, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, 0, function() done = true end)
          vmm.Begin_Nest_Exec()
          while not done do vmm.Resume_Exec() end
          vmm.End_Nest_Exec()
        end})",
     Outcome::starved, "starved"},
};

INSTANTIATE_TEST_SUITE_P(Outcomes, OnExit, ::testing::ValuesIn(kExitCases));

TEST_F(Lifecycle, OnExitIsNotCalledAfterAnError) {
  LuaRunResult r = run("vmm.create_thread{name = 'A', body = function() error('x') end}\n"
                       "vmm.on_exit(function() vmm.log('called') end)\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(log_.logged().empty());
}

TEST_F(Lifecycle, EventHandlesAreIntegersAndZeroWhenRunAtOnce) {
  LuaRunResult r = run(R"(
    vmm.create_thread{name = 'A', body = function()
      local h = vmm.Call_Global_Event(function(e) vmm.log("at once handle=%d", e.handle) end, 0)
      vmm.log("returned %s", math.type(h) .. " " .. h)
      local q = vmm.Schedule_Global_Event(function(e) vmm.log("queued") end, 0)
      assert(math.type(q) == "integer" and q ~= 0)
      vmm.Cancel_Global_Event(q)
      local ok, msg = pcall(vmm.Cancel_Global_Event, q)
      vmm.log("%s", msg:match("^Cancel_Global_Event:") or msg)
      vmm.ring3(1)
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("at once handle=0", "returned integer 0", "Cancel_Global_Event:"));
}

TEST_F(Lifecycle, CallbackReceivesRefdataAndContext) {
  LuaRunResult r = run(R"(
    local V
    V = vmm.create_vm{name = 'V', priority = 0x10, body = function()
      local data = {n = 1}
      vmm.Schedule_VM_Event(V, function(e)
        assert(e.refdata == data, "the same table")
        assert(e.vm == V and e.thread == V.thread and e.timed_out == false and e.handle ~= 0)
        vmm.log("vm event %s", e.refdata.n)
      end, data)
      vmm.Call_Restricted_Event(0, 0, vmm.PEF_Always_Sched | vmm.PEF_Time_Out | vmm.PEF_Wait_Not_Crit, "text",
        function(e) vmm.log("%s %s", e.refdata, tostring(e.timed_out)) end, 2)
      vmm.Begin_Critical_Section(0)
      vmm.ring3(5)
      vmm.End_Critical_Section()
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("vm event 1", "text true"));
}

TEST_F(Lifecycle, SuspendVMReturnsABoolean) {
  LuaRunResult r = run(R"(
    local V = vmm.create_vm{name = 'V', body = function() vmm.ring3(1) end}
    vmm.create_thread{name = 'A', priority = 0x10, body = function()
      vmm.log("%s %s", tostring(vmm.Suspend_VM(vmm.sys_vm)), tostring(vmm.Suspend_VM(V)))
      vmm.Resume_VM(V)
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("false true"));
}

TEST_F(Lifecycle, SemaphoreHandlesAreIntegers) {
  LuaRunResult r = run(R"(
    local s
    vmm.create_thread{name = 'W', priority = 0x10, body = function()
      s = vmm.Create_Semaphore(0)
      assert(math.type(s) == "integer")
      vmm.Wait_Semaphore(s)
      vmm.log("got it")
    end}
    vmm.create_thread{name = 'S', body = function() vmm.Signal_Semaphore(s) end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("got it"));
}

TEST_F(Lifecycle, ThreadsMayBeCreatedDuringTheRun) {
  LuaRunResult r = run(R"(
    vmm.create_thread{name = 'A', body = function()
      local C = vmm.create_thread{name = 'C', body = function() vmm.log("C runs") end}
      assert(C.name == "C")
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("C runs"));
}

TEST_F(Lifecycle, RefdataAndCallbacksAreReleasedWithTheirEvent) {
  LuaRunResult r = run(R"(
    local weak = setmetatable({}, {__mode = "k"})
    vmm.create_thread{name = 'A', body = function()
      do
        local ran, cancelled, timer = {}, {}, {}
        weak[ran], weak[cancelled], weak[timer] = true, true, true
        vmm.Schedule_Global_Event(function() end, ran)
        vmm.Cancel_Global_Event(vmm.Schedule_Global_Event(function() end, cancelled))
        vmm.Set_Global_Time_Out(1, function() end, timer)
      end
      vmm.ring3(3)
      collectgarbage("collect")
      local n = 0
      for _ in pairs(weak) do n = n + 1 end
      vmm.log("still referenced: %d", n)
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("still referenced: 0"));
}

// Lua lets C calls nest about 200 deep (LUAI_MAXCCALLS) and a level costs ~2 KiB of C stack
// (string.gsub calling back into Lua), so a body may legitimately use ~400 KiB of its fiber's stack.
// B's fiber is suspended while A recurses: an overflow of A's stack lands in B's frames.
TEST_F(Lifecycle, DeepLuaNestingInABodyFitsItsFiberStack) {
  LuaRunResult r = run(R"(
    local function f(n)
      if n == 0 then return "x" end
      return (string.gsub("x", "x", function() return f(n - 1) end))
    end
    vmm.create_thread{name = "B", priority = 2, body = function() vmm._BlockOnID("b", 0) vmm.log("B back") end}
    vmm.create_thread{name = "A", priority = 1, body = function()
      local ok, err = pcall(f, 190)
      vmm.log("%s %s", tostring(ok), tostring(err))
      vmm._SignalID("b")
      vmm.ring3(1)
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("true x", "B back"));
}

TEST_F(Lifecycle, InterruptHandlersRunAsTheInterruptedThread) {
  LuaRunResult r = run(R"(
    vmm.create_thread{name = 'A', body = function() vmm.ring3(5) end}
    vmm.at(2, function() vmm.log("at %.3f on %s", vmm.now(), vmm.current_thread().name) end)
    vmm.at(10, function() vmm.log("at %.3f on %s", vmm.now(), vmm.current_thread().name) end)
    vmm.every(4, function() vmm.log("every %.3f", vmm.now()) end, 2)
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("at 2.000 on A", "every 4.000", "every 8.000", "at 10.000 on sys"));
}

}  // namespace

}  // namespace vmmsim::lua::test

namespace vmmsim::lua::test {
namespace {

// lua_scenario.cpp opens coroutine, io, os, utf8, debug and package on first use: a scenario sees
// every standard library as if all were open.
TEST_F(Lifecycle, EveryStandardLibraryIsThereWhenFirstUsed) {
  LuaRunResult r = run(R"(
    assert(type(coroutine.wrap) == "function" and coroutine.wrap(function() return 3 end)() == 3)
    assert(type(io.write) == "function")
    assert(type(os.time) == "function")
    assert(utf8.char(65) == "A")
    assert(type(debug.traceback) == "function")
    assert(require("vmm") == vmm and package.loaded.vmm == vmm)
    assert(string.rep("x", 2) == "xx" and table.concat({"a", "b"}) == "ab" and math.max(1, 2) == 2)
    assert(undefined_global == nil)
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

// lua_vmm_table.cpp puts the vmm entries in on first read: the same value on every read, and the
// table's metatable cannot be replaced (which would take the entries away).
TEST_F(Lifecycle, VmmEntriesAreTheSameOnEveryReadAndTheMetatableIsProtected) {
  LuaRunResult r = run(R"(
    local f = vmm._SignalID
    assert(type(f) == "function" and vmm._SignalID == f)
    assert(vmm.Critical_Section_Boost == 0x100000 and vmm.Critical_Section_Boost == 0x100000)
    assert(vmm.no_such_service == nil)
    assert(not pcall(setmetatable, vmm, {}))
    vmm.create_thread{name = "t", body = function() vmm.log("ok") end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

TEST_F(Lifecycle, RequireWorksBeforeAnyLibraryWasTouched) {
  LuaRunResult r = run("local v = require('vmm'); assert(v == vmm)");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

}  // namespace
}  // namespace vmmsim::lua::test
