// lua_constants.cpp: every constant of vmmsim::constants() as vmm.NAME (vmm.PEF_Wait_Not_Crit,
// vmm.Critical_Section_Boost, vmm.Block_Svc_Ints, ...), with the DDK's values.
#include "lua_binding.hpp"

namespace vmmsim::lua {

void open_constants(lua_State* L) {
  for (const NamedConstant& constant : constants()) {
    lua_pushlstring(L, constant.name.data(), constant.name.size());
    lua_pushinteger(L, constant.value);
    lua_rawset(L, -3);
  }
}

}  // namespace vmmsim::lua
