// lua_emulated_vxd.cpp: drv.call into an emulated i386 image (lua_emulated_vxd.hpp).
#include "lua_emulated_vxd.hpp"

#include <cstdint>
#include <cstdio>
#include <span>

#include "vxd/drivers.hpp"

namespace vmmsim::lua {

namespace {

constexpr int kMaxArgs = 6;

// marshal32: the value at stack index arg; position: its number in error messages (the stack index,
// as the shared-object path of lua_vxd.cpp numbers them).
std::uint32_t marshal32(lua_State* L, detail::EmulatedDriver& driver, const char* fn, int arg, int position) {
  switch (lua_type(L, arg)) {
    case LUA_TNIL: return 0;
    case LUA_TBOOLEAN: return lua_toboolean(L, arg) ? 1 : 0;
    case LUA_TNUMBER: {
      int is_integer = 0;
      lua_Integer v = lua_tointegerx(L, arg, &is_integer);
      if (!is_integer) raise_message(L, "%s: argument #%d must be an integer, got %f", fn, position, lua_tonumber(L, arg));
      // A dword: -2^31 .. 2^32 - 1 (a negative value is its two's complement, as C passes it).
      if (v < INT32_MIN || v > static_cast<lua_Integer>(UINT32_MAX))
        raise_message(L, "%s: argument #%d (%I) does not fit the 32 bits an i386 driver takes", fn, position, v);
      return static_cast<std::uint32_t>(v);
    }
    case LUA_TSTRING:
      raise_message(L, "%s: argument #%d is a string: an emulated driver cannot read Lua's memory (pass integers)",
                    fn, position);
    default:
      if (THREADHANDLE t = to_thread(L, arg)) return driver.guest_thread(t);
      if (VMHANDLE vm = to_vm(L, arg)) return driver.guest_vm(vm);
      raise_message(L, "%s: argument #%d must be an integer, a thread or a VM, got %s", fn, position,
                    luaL_typename(L, arg));
  }
}

}  // namespace

int call_emulated_driver(lua_State* L, Binding& b, detail::EmulatedDriver& driver, const char* fname, int first) {
  // No std::string in this frame: lua_error skips destructors (the guarded call's own are unwound
  // by C++ before the guard raises).
  char fn[160];
  std::snprintf(fn, sizeof fn, "vxd %s", fname);
  int n = lua_gettop(L) - first + 1;
  if (n > kMaxArgs) raise_message(L, "%s: at most %d arguments, got %d", fn, kMaxArgs, n);
  std::uint32_t a[kMaxArgs] = {};
  for (int i = 0; i < n; ++i) a[i] = marshal32(L, driver, fn, first + i, first + i);
  std::uint32_t r = 0;
  guard(L, b, fn, [&] {
    if (!driver.exports(fname)) throw ServiceError(fn, "the driver exports no function '" + std::string(fname) + "'");
    r = driver.call(fname, std::span<const std::uint32_t>(a, static_cast<std::size_t>(n)));
  });
  lua_pushinteger(L, static_cast<lua_Integer>(r));
  return 1;
}

}  // namespace vmmsim::lua
