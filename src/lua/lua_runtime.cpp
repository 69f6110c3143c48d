// lua_runtime.cpp: what works anywhere (vmm.now, vmm.current_thread, vmm.current_vm, vmm.log) and
// what a thread does (vmm.ring3, vmm.cli, vmm.sti, vmm.set_pm, vmm.set_v86_ints_locked, vmm.hw_int).
#include <string>

#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

int l_now(lua_State* L) {
  Binding& b = binding(L);
  double ms = 0;
  guard(L, b, "vmm.now", [&] { ms = b.phase == Phase::running ? now() : b.machine->now_ms(); });
  lua_pushnumber(L, ms);
  return 1;
}

int l_current_thread(lua_State* L) {
  Binding& b = binding(L);
  THREADHANDLE thread = nullptr;
  if (b.phase == Phase::running) guard(L, b, "vmm.current_thread", [&] { thread = Get_Cur_Thread_Handle(); });
  push_thread(L, b, thread);
  return 1;
}

int l_current_vm(lua_State* L) {
  Binding& b = binding(L);
  VMHANDLE vm = nullptr;
  if (b.phase == Phase::running) guard(L, b, "vmm.current_vm", [&] { vm = Get_Cur_VM_Handle(); });
  push_vm(L, b, vm);
  return 1;
}

// l_log: vmm.log(fmt, ...): string.format, then a line in the run's log. Outside a run (set-up time,
// on_exit) the record goes straight to the log sink, with thread "-" and kind "log".
int l_log(lua_State* L) {
  constexpr const char* fn = "vmm.log";
  Binding& b = binding(L);
  if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
    raise_message(L, "%s: argument #1 'fmt' must be a string, got %s", fn, luaL_typename(L, 1));
  }
  int n = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, b.format_ref);
  lua_insert(L, 1);
  if (lua_pcall(L, n, 1, 0) != LUA_OK) {
    raise_message(L, "%s: %s", fn,
                  lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "string.format failed");
  }
  size_t len = 0;
  const char* text = lua_tolstring(L, -1, &len);
  guard(L, b, fn, [&] {
    if (b.phase == Phase::running) {
      log(std::string(text, len));
    } else if (b.log != nullptr) {
      LogRecord record;
      record.t_ms = b.machine->now_ms();
      record.thread = "-";
      record.kind = "log";
      record.text.assign(text, len);
      b.log->record(record);
    }
  });
  return 0;
}

int l_ring3(lua_State* L) {
  constexpr const char* fn = "vmm.ring3";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  guard(L, b, fn, [&] { ring3(ms); });
  return 0;
}

int l_cli(lua_State* L) {
  Binding& b = binding(L);
  require_run(L, b, "vmm.cli");
  guard(L, b, "vmm.cli", [&] { cli(); });
  return 0;
}

int l_sti(lua_State* L) {
  Binding& b = binding(L);
  require_run(L, b, "vmm.sti");
  guard(L, b, "vmm.sti", [&] { sti(); });
  return 0;
}

int l_set_pm(lua_State* L) {
  constexpr const char* fn = "vmm.set_pm";
  Binding& b = binding(L);
  require_run(L, b, fn);
  bool on = check_boolean(L, fn, 1, "protected_mode");
  guard(L, b, fn, [&] { set_pm(on); });
  return 0;
}

int l_set_v86_ints_locked(lua_State* L) {
  constexpr const char* fn = "vmm.set_v86_ints_locked";
  Binding& b = binding(L);
  require_run(L, b, fn);
  bool locked = check_boolean(L, fn, 1, "locked");
  guard(L, b, fn, [&] { set_v86_ints_locked(locked); });
  return 0;
}

int l_hw_int(lua_State* L) {
  constexpr const char* fn = "vmm.hw_int";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  guard(L, b, fn, [&] { hw_int(ms); });
  return 0;
}

const luaL_Reg runtime_functions[] = {
    {"now", l_now},
    {"current_thread", l_current_thread},
    {"current_vm", l_current_vm},
    {"log", l_log},
    {"ring3", l_ring3},
    {"cli", l_cli},
    {"sti", l_sti},
    {"set_pm", l_set_pm},
    {"set_v86_ints_locked", l_set_v86_ints_locked},
    {"hw_int", l_hw_int},
    {nullptr, nullptr},
};

}  // namespace

void open_runtime(lua_State* L, Binding& b) {
  lua_getglobal(L, "string");
  lua_getfield(L, -1, "format");
  b.format_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
}

const luaL_Reg* runtime_function_list() { return runtime_functions; }

}  // namespace vmmsim::lua
