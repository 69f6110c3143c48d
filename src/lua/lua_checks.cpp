// lua_checks.cpp: argument checks and the Lua side of the error protocol (lua_binding.hpp).
#include <cmath>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "lua_binding.hpp"

namespace vmmsim::lua {

Binding& binding(lua_State* L) {
  auto& b = *static_cast<Binding*>(lua_touserdata(L, lua_upvalueindex(1)));
  b.steps = 0;  // a call into vmm: --max-steps counts from here (lua_limits.hpp)
  return b;
}

void raise_message(lua_State* L, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  lua_pushvfstring(L, fmt, args);
  va_end(args);
  lua_error(L);
  std::abort();  // lua_error does not return; this keeps [[noreturn]] honest for the compiler
}

namespace {

// describe: the type of the value at idx as a scenario would name it.
const char* describe(lua_State* L, int idx) {
  if (to_thread(L, idx) != nullptr) return "thread";
  if (to_vm(L, idx) != nullptr) return "VM";
  return luaL_typename(L, idx);
}

[[noreturn]] void bad_argument(lua_State* L, const char* fn, int arg, const char* name,
                               const char* expected) {
  raise_message(L, "%s: argument #%d '%s' must be %s, got %s", fn, arg, name, expected,
                describe(L, arg));
}

}  // namespace

lua_Integer check_integer(lua_State* L, const char* fn, int arg, const char* name) {
  int is_integer = 0;
  lua_Integer value = lua_type(L, arg) == LUA_TNUMBER ? lua_tointegerx(L, arg, &is_integer) : 0;
  if (!is_integer) {
    if (lua_type(L, arg) == LUA_TNUMBER) {
      raise_message(L, "%s: argument #%d '%s' must be an integer, got %f", fn, arg, name,
                    lua_tonumber(L, arg));
    }
    bad_argument(L, fn, arg, name, "an integer");
  }
  return value;
}

lua_Integer opt_integer(lua_State* L, const char* fn, int arg, const char* name, lua_Integer def) {
  return lua_isnoneornil(L, arg) ? def : check_integer(L, fn, arg, name);
}

double check_ms(lua_State* L, const char* fn, int arg, const char* name) {
  if (lua_type(L, arg) != LUA_TNUMBER) bad_argument(L, fn, arg, name, "a number of milliseconds");
  double ms = lua_tonumber(L, arg);
  if (!std::isfinite(ms) || ms < 0) {
    raise_message(L, "%s: argument #%d '%s' must be a finite number >= 0, got %f", fn, arg, name, ms);
  }
  return ms;
}

double opt_ms(lua_State* L, const char* fn, int arg, const char* name, double def) {
  return lua_isnoneornil(L, arg) ? def : check_ms(L, fn, arg, name);
}

Flags check_flags(lua_State* L, const char* fn, int arg, const char* name) {
  lua_Integer value = check_integer(L, fn, arg, name);
  if (value < 0 || value > static_cast<lua_Integer>(std::numeric_limits<Flags>::max())) {
    raise_message(L, "%s: argument #%d '%s' must be a 32-bit flag set, got %I", fn, arg, name,
                  value);
  }
  return static_cast<Flags>(value);
}

Flags opt_flags(lua_State* L, const char* fn, int arg, const char* name) {
  return lua_isnoneornil(L, arg) ? 0 : check_flags(L, fn, arg, name);
}

bool check_boolean(lua_State* L, const char* fn, int arg, const char* name) {
  if (lua_type(L, arg) != LUA_TBOOLEAN) bad_argument(L, fn, arg, name, "a boolean");
  return lua_toboolean(L, arg) != 0;
}

void check_function(lua_State* L, const char* fn, int arg, const char* name) {
  if (lua_type(L, arg) != LUA_TFUNCTION) bad_argument(L, fn, arg, name, "a function");
}

THREADHANDLE check_thread(lua_State* L, const char* fn, int arg, const char* name) {
  THREADHANDLE thread = to_thread(L, arg);
  if (thread == nullptr) bad_argument(L, fn, arg, name, "a thread");
  return thread;
}

VMHANDLE check_vm(lua_State* L, const char* fn, int arg, const char* name) {
  VMHANDLE vm = to_vm(L, arg);
  if (vm == nullptr) bad_argument(L, fn, arg, name, "a VM");
  return vm;
}

std::uint64_t check_handle(lua_State* L, const char* fn, int arg, const char* name) {
  return static_cast<std::uint64_t>(check_integer(L, fn, arg, name));
}

void require_run(lua_State* L, const Binding& b, const char* fn) {
  if (b.phase != Phase::running) {
    raise_message(L, "%s: only during a run (in a thread body, an event callback or an interrupt "
                     "handler), not %s", fn,
                  b.phase == Phase::setup ? "at set-up time" : "after the run");
  }
}

void require_not_over(lua_State* L, const Binding& b, const char* fn) {
  if (b.phase == Phase::finished) raise_message(L, "%s: the run is over", fn);
}

void require_setup(lua_State* L, const Binding& b, const char* fn) {
  if (b.phase != Phase::setup) {
    raise_message(L, "%s: only at set-up time (the top level of the scenario), not %s", fn,
                  b.phase == Phase::running ? "during the run" : "after the run");
  }
}

GuardStatus fail_status(Binding& b, const char* fn, const char* what) noexcept {
  if (b.phase == Phase::running) {
    if (b.fatal_error.empty()) b.fatal_error = what;
    return GuardStatus::abandon;
  }
  std::size_t n = std::strlen(fn);
  if (std::strncmp(what, fn, n) == 0 && what[n] == ':') {
    b.pending_error = what;
  } else {
    b.pending_error = std::string(fn) + ": " + what;
  }
  return GuardStatus::raise;
}

void raise_pending(lua_State* L, Binding& b) {
  lua_pushlstring(L, b.pending_error.data(), b.pending_error.size());
  b.pending_error.clear();
  lua_error(L);
  std::abort();  // not reached
}

}  // namespace vmmsim::lua
