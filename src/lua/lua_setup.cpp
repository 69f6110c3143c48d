// lua_setup.cpp: the set-up calls of scenario-api.md (the top level of the file, before the run):
// vmm.config, vmm.sys_vm, vmm.create_thread, vmm.create_vm, vmm.at, vmm.every, vmm.on_exit.
// vmm.config is accepted only before the run; the others also during it (a thread may create a
// thread, as VMMCreateThread does; the simulator checks the context).
#include <cmath>
#include <cstring>
#include <string>

#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

// check_table_arg: argument 1 must be a table whose keys are all in `allowed` (nullptr-terminated).
void check_table_arg(lua_State* L, const char* fn, const char* const* allowed) {
  if (lua_type(L, 1) != LUA_TTABLE) {
    raise_message(L, "%s: argument #1 must be a table of fields, got %s", fn, luaL_typename(L, 1));
  }
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      raise_message(L, "%s: fields must be named, got a %s key", fn, luaL_typename(L, -1));
    }
    const char* key = lua_tostring(L, -1);
    bool known = false;
    for (const char* const* name = allowed; *name != nullptr; ++name) known |= std::strcmp(key, *name) == 0;
    if (!known) raise_message(L, "%s: unknown field '%s'", fn, key);
  }
}

[[noreturn]] void bad_field(lua_State* L, const char* fn, const char* field, const char* expected,
                            int idx) {
  raise_message(L, "%s: field '%s' must be %s, got %s", fn, field, expected, luaL_typename(L, idx));
}

// field_*: push field `field` of the table at 1 and check it; the value stays on the stack.
const char* field_name(lua_State* L, const char* fn) {
  if (lua_getfield(L, 1, "name") != LUA_TSTRING) bad_field(L, fn, "name", "a string", -1);
  return lua_tostring(L, -1);
}

void field_body(lua_State* L, const char* fn) {
  if (lua_getfield(L, 1, "body") != LUA_TFUNCTION) bad_field(L, fn, "body", "a function", -1);
}

Priority field_priority(lua_State* L, const char* fn) {
  int type = lua_getfield(L, 1, "priority");
  if (type == LUA_TNIL) return 0;
  int is_integer = 0;
  lua_Integer value = lua_tointegerx(L, -1, &is_integer);
  if (type != LUA_TNUMBER || !is_integer) bad_field(L, fn, "priority", "an integer", -1);
  return value;
}

bool field_pm(lua_State* L, const char* fn) {
  int type = lua_getfield(L, 1, "pm");
  if (type == LUA_TNIL) return false;
  if (type != LUA_TBOOLEAN) bad_field(L, fn, "pm", "a boolean", -1);
  return lua_toboolean(L, -1) != 0;
}

// field_ms: config field `field` (number of ms > 0) into *ms, if present.
void field_ms(lua_State* L, const char* fn, const char* field, double* ms) {
  int type = lua_getfield(L, 1, field);
  if (type == LUA_TNIL) return;
  if (type != LUA_TNUMBER) bad_field(L, fn, field, "a number of milliseconds", -1);
  double value = lua_tonumber(L, -1);
  if (!std::isfinite(value) || value <= 0) {
    raise_message(L, "%s: field '%s' must be a finite number > 0, got %f", fn, field, value);
  }
  // The core checks the bound too, but under the C++ field's name (Config::time_slice_ms).
  if (value > kMaxDurationMs) {
    raise_message(L, "%s: %s must be a positive number of milliseconds up to 1e+12, got %f", fn, field, value);
  }
  *ms = value;
}

int l_config(lua_State* L) {
  constexpr const char* fn = "vmm.config";
  static const char* const fields[] = {"time_slice", "starve_ms", "max_time", nullptr};
  Binding& b = binding(L);
  require_setup(L, b, fn);
  check_table_arg(L, fn, fields);
  Config config = b.machine->config();
  field_ms(L, fn, "time_slice", &config.time_slice_ms);
  field_ms(L, fn, "starve_ms", &config.starve_ms);
  field_ms(L, fn, "max_time", &config.max_time_ms);
  guard(L, b, fn, [&] { b.machine->configure(config); });
  return 0;
}

int l_create_thread(lua_State* L) {
  constexpr const char* fn = "vmm.create_thread";
  static const char* const fields[] = {"name", "body", "priority", nullptr};
  Binding& b = binding(L);
  require_not_over(L, b, fn);
  check_table_arg(L, fn, fields);
  const char* name = field_name(L, fn);  // stack: 2
  field_body(L, fn);                     // 3
  Priority priority = field_priority(L, fn);
  CallbackRefs refs = take_callback(L, 3, 0);
  THREADHANDLE thread = nullptr;
  guard(L, b, fn, [&] { thread = b.machine->create_thread(name, make_body(b, refs), priority); });
  push_thread(L, b, thread);
  return 1;
}

int l_create_vm(lua_State* L) {
  constexpr const char* fn = "vmm.create_vm";
  static const char* const fields[] = {"name", "body", "priority", "pm", nullptr};
  Binding& b = binding(L);
  require_not_over(L, b, fn);
  check_table_arg(L, fn, fields);
  const char* name = field_name(L, fn);  // stack: 2
  field_body(L, fn);                     // 3
  Priority priority = field_priority(L, fn);
  bool pm = field_pm(L, fn);
  CallbackRefs refs = take_callback(L, 3, 0);
  VMHANDLE vm = nullptr;
  guard(L, b, fn, [&] { vm = b.machine->create_vm(name, make_body(b, refs), priority, pm ? CpuMode::protected_mode : CpuMode::v86); });
  push_vm(L, b, vm);
  return 1;
}

int l_at(lua_State* L) {
  constexpr const char* fn = "vmm.at";
  Binding& b = binding(L);
  require_not_over(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  check_function(L, fn, 2, "fn");
  CallbackRefs refs = take_callback(L, 2, 0);
  guard(L, b, fn, [&] { b.machine->at(ms, make_handler(b, refs)); });
  return 0;
}

int l_every(lua_State* L) {
  constexpr const char* fn = "vmm.every";
  Binding& b = binding(L);
  require_not_over(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  if (ms <= 0) raise_message(L, "%s: argument #1 'ms' must be > 0, got %f", fn, ms);
  check_function(L, fn, 2, "fn");
  lua_Integer count = opt_integer(L, fn, 3, "count", -1);
  if (!lua_isnoneornil(L, 3) && count < 1) {
    raise_message(L, "%s: argument #3 'count' must be at least 1, got %I", fn, count);
  }
  CallbackRefs refs = take_callback(L, 2, 0);
  guard(L, b, fn, [&] { b.machine->every(ms, make_handler(b, refs), count); });
  return 0;
}

int l_on_exit(lua_State* L) {
  constexpr const char* fn = "vmm.on_exit";
  Binding& b = binding(L);
  require_not_over(L, b, fn);
  check_function(L, fn, 1, "fn");
  lua_settop(L, 1);
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  guard(L, b, fn, [&] { b.on_exit.push_back(ref); });
  return 0;
}

const luaL_Reg setup_functions[] = {
    {"config", l_config},
    {"create_thread", l_create_thread},
    {"create_vm", l_create_vm},
    {"at", l_at},
    {"every", l_every},
    {"on_exit", l_on_exit},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* setup_function_list() { return setup_functions; }

void open_setup(lua_State* L, Binding& b) {
  push_vm(L, b, b.machine->sys_vm());
  lua_setfield(L, -2, "sys_vm");
}

}  // namespace vmmsim::lua
