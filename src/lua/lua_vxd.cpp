// lua_vxd.cpp: vmm.load_vxd(path) (issue 13): a VxD built as a shared object with
// VMMSIM_DECLARE_VXD, or an ELF32 i386 image run under the emulator (issue 20, lua_emulated_vxd.cpp),
// loaded at set-up time. The value returned has the driver's `name`,
// `call(fname, ...)`, which calls one of its exported C functions from a thread, a callback or an
// interrupt handler, and `fn(fname)`, the same as a Lua function (for vmm.at, vmm.every or as a
// callback). Arguments, at most six: integers and booleans as integers, strings as `const char*`,
// threads and VMs as their handles, nil as 0; the result is the function's integer return value.
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/binding.hpp"
#include "emu/emulated_vxd.hpp"
#include "lua_binding.hpp"
#include "lua_emulated_vxd.hpp"
#include "vxd/crash_guard.hpp"

namespace vmmsim::lua {

namespace {

constexpr int kMaxArgs = 6;
using DriverFunction = std::uintptr_t (*)(std::uintptr_t, std::uintptr_t, std::uintptr_t, std::uintptr_t,
                                          std::uintptr_t, std::uintptr_t);

std::uintptr_t marshal(lua_State* L, const char* fn, int arg) {
  switch (lua_type(L, arg)) {
    case LUA_TNIL: return 0;
    case LUA_TBOOLEAN: return lua_toboolean(L, arg) ? 1 : 0;
    case LUA_TSTRING: return reinterpret_cast<std::uintptr_t>(lua_tostring(L, arg));  // alive on the stack
    case LUA_TNUMBER: {
      int is_integer = 0;
      lua_Integer v = lua_tointegerx(L, arg, &is_integer);
      if (!is_integer) raise_message(L, "%s: argument #%d must be an integer, got %f", fn, arg, lua_tonumber(L, arg));
      return static_cast<std::uintptr_t>(v);
    }
    default:
      if (THREADHANDLE t = to_thread(L, arg)) return reinterpret_cast<std::uintptr_t>(t);
      if (VMHANDLE vm = to_vm(L, arg)) return reinterpret_cast<std::uintptr_t>(vm);
      raise_message(L, "%s: argument #%d must be an integer, a string, a thread or a VM, got %s", fn, arg,
                    luaL_typename(L, arg));
  }
}

// call_driver: upvalue 1 the Binding, 2 the driver index; stack: the function's name, then its arguments
// from `first`.
int call_driver(lua_State* L, const char* fname, int first) {
  Binding& b = *static_cast<Binding*>(lua_touserdata(L, lua_upvalueindex(1)));
  auto driver = static_cast<std::size_t>(lua_tointeger(L, lua_upvalueindex(2)));
  if (detail::EmulatedDriver* emulated = binding::emulated_vxd(*b.machine, driver))
    return call_emulated_driver(L, b, *emulated, fname, first);
  // No std::string in this frame: a thread abandoned inside the driver never destroys it.
  char fn[160];
  std::snprintf(fn, sizeof fn, "vxd %s", fname);
  void* symbol = b.machine->vxd_symbol(driver, fname);
  if (symbol == nullptr) raise_message(L, "%s: the driver exports no function '%s'", fn, fname);
  int n = lua_gettop(L) - first + 1;
  if (n > kMaxArgs) raise_message(L, "%s: at most %d arguments, got %d", fn, kMaxArgs, n);
  std::uintptr_t a[kMaxArgs] = {};
  for (int i = 0; i < n; ++i) a[i] = marshal(L, fn, first + i);
  // An x86-64 call with integer-class arguments: a function that takes fewer ignores the rest. A
  // crash in it ends the run with an error naming the driver and the function (vxd/crash_guard.hpp).
  std::uintptr_t r = 0;
  guard(L, b, fn, [&] {
    std::string crash = vxd::call_driver_code(
        [&] { r = reinterpret_cast<DriverFunction>(symbol)(a[0], a[1], a[2], a[3], a[4], a[5]); });
    if (!crash.empty())
      vxd::end_run_with_crash(fmt::format("{} crashed in drv.call(\"{}\"): {}", b.machine->vxd_name(driver), fname,
                                          crash));
  });
  lua_pushinteger(L, static_cast<lua_Integer>(r));
  return 1;
}

int l_driver_call(lua_State* L) {  // drv.call(fname, ...)
  const char* fname = luaL_checkstring(L, 1);
  return call_driver(L, fname, 2);
}

int l_driver_function(lua_State* L) {  // the function drv.fn(fname) returns; upvalue 3: fname
  const char* fname = lua_tostring(L, lua_upvalueindex(3));
  return call_driver(L, fname, 1);
}

int l_driver_fn(lua_State* L) {  // drv.fn(fname)
  luaL_checkstring(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, l_driver_function, 3);
  return 1;
}

int l_load_vxd(lua_State* L) {
  constexpr const char* fn = "vmm.load_vxd";
  Binding& b = binding(L);
  require_setup(L, b, fn);
  const char* path = luaL_checkstring(L, 1);
  emu::install_emulated_loader();  // an ELF32 (i386) file runs under the emulator (issue 20)
  std::size_t driver = 0;
  guard(L, b, fn, [&] {
    driver = b.machine->load_vxd(path);
    // An image's code is bounded as the scenario's Lua code is (--max-steps, Ctrl-C: lua_limits.hpp).
    if (detail::EmulatedDriver* emulated = binding::emulated_vxd(*b.machine, driver))
      emulated->set_limits(b.max_steps, b.interrupt);
  });
  lua_createtable(L, 0, 3);
  lua_pushstring(L, b.machine->vxd_name(driver).c_str());
  lua_setfield(L, -2, "name");
  const luaL_Reg members[] = {{"call", l_driver_call}, {"fn", l_driver_fn}};
  for (const luaL_Reg& member : members) {
    lua_pushlightuserdata(L, &b);
    lua_pushinteger(L, static_cast<lua_Integer>(driver));
    lua_pushcclosure(L, member.func, 2);
    lua_setfield(L, -2, member.name);
  }
  return 1;
}

const luaL_Reg vxd_functions[] = {
    {"load_vxd", l_load_vxd},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* vxd_function_list() { return vxd_functions; }

}  // namespace vmmsim::lua
