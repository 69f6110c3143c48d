// objects_test.cpp: thread and VM values: one value per object, read-only fields, tostring.
#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Objects : public ScenarioTest {};

TEST_F(Objects, OneValuePerThreadSoEqualityIsIdentity) {
  LuaRunResult r = run(R"(
    local B
    B = vmm.create_thread{name = "B", body = function()
      assert(vmm.current_thread() == B, "current_thread() is B's value")
      vmm.Call_Global_Event(function(e) assert(e.thread == B, "e.thread == B") vmm.log("ran") end, 0)
    end}
    assert(B.vm == vmm.sys_vm and vmm.sys_vm == vmm.sys_vm)
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("ran"));
}

TEST_F(Objects, FieldsOfThreadsAndVMs) {
  LuaRunResult r = run(R"(
    local V = vmm.create_vm{name = "DOS", priority = 0x10, body = function() end}
    local T = vmm.create_thread{name = "T", priority = 0x100, body = function() end}
    assert(V.name == "DOS" and V.thread.name == "DOS", "a VM's thread bears its name")
    assert(V.thread.vm == V and V.thread.priority == 0x10 and V.priority == 0)
    assert(T.name == "T" and T.priority == 0x100 and T.vm == vmm.sys_vm)
    assert(vmm.sys_vm.thread == nil and vmm.sys_vm.priority == 0)
    assert(T.no_such_field == nil)
    assert(tostring(T) == "thread: T" and tostring(V) == "VM: DOS", tostring(T) .. " " .. tostring(V))
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

TEST_F(Objects, PriorityFieldFollowsBoosts) {
  LuaRunResult r = run(R"(
    local T
    T = vmm.create_thread{name = "T", priority = 0x100, body = function()
      vmm.Adjust_Thread_Exec_Priority(vmm.High_Pri_Device_Boost, T)
      vmm.log("%X", T.priority)
      vmm.Adjust_Exec_Priority(0x10, vmm.sys_vm)
      vmm.log("%X %X", T.priority, vmm.sys_vm.priority)
    end}
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("1100", "1110 10"));
}

TEST_F(Objects, FieldsAreReadOnly) {
  LuaRunResult r = run(R"(
    local T = vmm.create_thread{name = "T", body = function() end}
    local ok, msg = pcall(function() T.name = "U" end)
    assert(not ok and msg:find("cannot set field 'name' of a thread: its fields are read%-only"), msg)
    ok, msg = pcall(function() vmm.sys_vm.priority = 5 end)
    assert(not ok and msg:find("of a VM"), msg)
    assert(T.name == "T")
    T.name = "V"
  )");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_THAT(r.message, HasSubstr("s.lua:8: cannot set field 'name' of a thread"));
}

TEST_F(Objects, CurrentThreadAndVmAreNilOutsideTheRun) {
  LuaRunResult r = run(R"(
    assert(vmm.current_thread() == nil and vmm.current_vm() == nil, "set-up time")
    local V = vmm.create_vm{name = "V", body = function()
      assert(vmm.current_vm() == vmm.current_thread().vm)
      vmm.log("%s in %s", vmm.current_thread().name, vmm.current_vm().name)
    end}
    vmm.on_exit(function(outcome)
      assert(vmm.current_thread() == nil and vmm.current_vm() == nil, "on_exit")
      vmm.log("exit %s", outcome)
    end)
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_THAT(log_.logged(), ElementsAre("V in V", "exit finished"));
}

}  // namespace

}  // namespace vmmsim::lua::test
