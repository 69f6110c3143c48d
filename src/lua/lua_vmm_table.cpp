// lua_vmm_table.cpp: the functions and constants of the `vmm` table (scenario-api.md), put in on
// first read through the table's __index. Building all of them for every state was a fifth of the
// cost of a schedule when the explorer runs thousands a second; a scenario uses a handful. Reading
// vmm.NAME gives the same value either way; only pairs(vmm) lists just the entries used so far.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lua_binding.hpp"
#include "lua_scenario.hpp"

namespace vmmsim::lua {

namespace {

struct Entry {
  lua_CFunction function = nullptr;  // a function (with the Binding as its upvalue), or ...
  lua_Integer value = 0;             // ... a constant
};

const std::unordered_map<std::string_view, Entry>& entries() {
  static const std::unordered_map<std::string_view, Entry> table = [] {
    std::unordered_map<std::string_view, Entry> t;
    for (const luaL_Reg* list :
         {setup_function_list(), runtime_function_list(), event_function_list(), service_function_list(),
          driver_function_list(), vxd_function_list()})
      for (const luaL_Reg* r = list; r->name != nullptr; ++r) t.emplace(r->name, Entry{r->func, 0});
    for (const NamedConstant& c : constants()) t.emplace(c.name, Entry{nullptr, c.value});
    return t;
  }();
  return table;
}

// vmm_index: __index(vmm, key); upvalue 1 is the Binding.
int vmm_index(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  std::size_t length = 0;
  const char* key = lua_tolstring(L, 2, &length);
  const auto& table = entries();
  auto it = table.find(std::string_view(key, length));
  if (it == table.end()) return 0;
  if (it->second.function != nullptr) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, it->second.function, 1);
  } else {
    lua_pushinteger(L, it->second.value);
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);  // the next read finds it in the table
  return 1;
}

}  // namespace

std::vector<std::string> vmm_entry_names() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries()) names.emplace_back(name);
  names.emplace_back("sys_vm");  // a plain field, set by open_setup (lua_setup.cpp)
  std::sort(names.begin(), names.end());
  return names;
}

void open_vmm_on_first_use(lua_State* L, Binding& b) {
  lua_createtable(L, 0, 2);
  lua_pushlightuserdata(L, &b);
  lua_pushcclosure(L, vmm_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");  // setmetatable(vmm, ...) cannot take the entries away
  lua_setmetatable(L, -2);
}

}  // namespace vmmsim::lua
