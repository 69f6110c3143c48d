// constants_test.cpp: every constant of vmmsim::constants() is vmm.NAME with its DDK value.
#include <fmt/format.h>

#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

class Constants : public ScenarioTest {};

TEST_F(Constants, EveryConstantIsInTheVmmTableWithItsValue) {
  std::string source;
  for (const NamedConstant& c : constants()) {
    source += fmt::format("assert(math.type(vmm.{0}) == 'integer' and vmm.{0} == {1}, '{0} is ' .. tostring(vmm.{0}))\n",
                          c.name, c.value);
  }
  ASSERT_FALSE(source.empty());
  LuaRunResult r = run(source);
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

TEST_F(Constants, SpotCheckDdkValues) {
  // VMM.H values, independent of the table above: a wrong table would fail here.
  LuaRunResult r = run(R"(
    assert(vmm.PEF_Wait_For_STI == 0x1 and vmm.PEF_Wait_Not_Crit == 0x2)
    assert(vmm.PEF_Always_Sched == 0x8 and vmm.PEF_Time_Out == 0x10)
    assert(vmm.PEF_Wait_Not_HW_Int == 0x20 and vmm.PEF_Wait_Not_Time_Crit == 0x20)
    assert(vmm.PEF_Thread_Event == 0x100 and vmm.PEF_Process_Last == 0x2000)
    assert(vmm.Block_Svc_Ints == 1 and vmm.Block_Force_Svc_Ints == 0x20)
    assert(vmm.Critical_Section_Boost == 0x100000 and vmm.Time_Critical_Boost == 0x400000)
    assert(vmm.Reserved_High_Boost == 0x40000000 and vmm.High_Pri_Device_Boost == 0x1000)
    assert((vmm.PEF_Thread_Event | vmm.PEF_Always_Sched) == 0x108)
  )");
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

}  // namespace

}  // namespace vmmsim::lua::test
