// stubs_test.cpp: lua/vmm.lua (the LuaLS stubs) lists exactly the entries the `vmm` table gives.
// The binding builds entries on first read (lua_vmm_table.cpp), so pairs(vmm) cannot list them:
// the test compares the stub's names with the binding's registration lists (vmm_entry_names), both
// ways, and reads every stub name from a real scenario's `vmm` table, checking its kind.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

// stub_entries: name -> the Lua type the stub declares ("function", "number" or "userdata").
std::map<std::string, std::string> stub_entries() {
  std::ifstream in(VMMSIM_STUBS_PATH);
  EXPECT_TRUE(in.good()) << "cannot read " << VMMSIM_STUBS_PATH;
  std::map<std::string, std::string> out;
  const std::regex function_line(R"(^function vmm\.([A-Za-z_][A-Za-z0-9_]*)\()");
  const std::regex value_line(R"(^vmm\.([A-Za-z_][A-Za-z0-9_]*) = (\S+))");
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, function_line)) {
      out[m[1]] = "function";
    } else if (std::regex_search(line, m, value_line)) {
      out[m[1]] = m[2] == "nil" ? "userdata" : "number";  // vmm.sys_vm = nil: a VM value
    }
  }
  return out;
}

class Stubs : public ScenarioTest {};

TEST_F(Stubs, ListExactlyTheBindingsEntries) {
  std::set<std::string> stub, binding;
  for (const auto& [name, type] : stub_entries()) stub.insert(name);
  for (const std::string& name : vmm_entry_names()) binding.insert(name);
  ASSERT_FALSE(binding.empty());
  for (const std::string& name : binding)
    EXPECT_TRUE(stub.count(name)) << "vmm." << name << " is in the binding but not in lua/vmm.lua";
  for (const std::string& name : stub)
    EXPECT_TRUE(binding.count(name)) << "vmm." << name << " is in lua/vmm.lua but not in the binding";
}

TEST_F(Stubs, EveryStubNameReadsFromTheVmmTableWithItsKind) {
  std::string source;
  for (const auto& [name, type] : stub_entries())
    source += fmt::format("assert(type(vmm.{0}) == '{1}', 'vmm.{0} is ' .. type(vmm.{0}) .. ', the stub says {1}')\n",
                          name, type);
  ASSERT_FALSE(source.empty());
  LuaRunResult r = run(source);
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

}  // namespace

}  // namespace vmmsim::lua::test
