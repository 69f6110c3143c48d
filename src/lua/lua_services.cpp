// lua_services.cpp: the DDK services other than events: priorities, the critical section, block IDs,
// semaphores, VMs, nested execution (scenario-api.md, arguments in the DDK's register order).
#include <climits>
#include <string>

#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

// IdArg: an ID argument of _BlockOnID/_SignalID as checked: an integer (the BlockId itself) or a
// string (interned by intern_id inside the guard, where allocating is safe).
struct IdArg {
  BlockId id = 0;
  const char* text = nullptr;  // the string, kept alive by the Lua stack
  std::size_t length = 0;
};

IdArg check_id(lua_State* L, const char* fn, int arg) {
  IdArg id;
  int type = lua_type(L, arg);
  if (type == LUA_TSTRING) {
    id.text = lua_tolstring(L, arg, &id.length);
    return id;
  }
  int is_integer = 0;
  lua_Integer value = type == LUA_TNUMBER ? lua_tointegerx(L, arg, &is_integer) : 0;
  if (is_integer) {
    id.id = static_cast<BlockId>(value);
    return id;
  }
  if (type == LUA_TNUMBER) {
    raise_message(L, "%s: argument #%d 'id' must be an integer or a string, got %f", fn, arg,
                  lua_tonumber(L, arg));
  }
  raise_message(L, "%s: argument #%d 'id' must be an integer or a string, got %s", fn, arg,
                luaL_typename(L, arg));
}

BlockId resolve(Binding& b, const IdArg& id) {
  return id.text != nullptr ? intern_id(b, std::string(id.text, id.length)) : id.id;
}

int l_Adjust_Exec_Priority(lua_State* L) {
  constexpr const char* fn = "Adjust_Exec_Priority";
  Binding& b = binding(L);
  require_run(L, b, fn);
  Priority delta = check_integer(L, fn, 1, "delta");
  VMHANDLE vm = check_vm(L, fn, 2, "vm");
  guard(L, b, fn, [&] { Adjust_Exec_Priority(delta, vm); });
  return 0;
}

int l_Adjust_Thread_Exec_Priority(lua_State* L) {
  constexpr const char* fn = "Adjust_Thread_Exec_Priority";
  Binding& b = binding(L);
  require_run(L, b, fn);
  Priority delta = check_integer(L, fn, 1, "delta");
  THREADHANDLE thread = check_thread(L, fn, 2, "thread");
  guard(L, b, fn, [&] { Adjust_Thread_Exec_Priority(delta, thread); });
  return 0;
}

int l_Begin_Critical_Section(lua_State* L) {
  constexpr const char* fn = "Begin_Critical_Section";
  Binding& b = binding(L);
  require_run(L, b, fn);
  Flags flags = opt_flags(L, fn, 1, "flags");
  guard(L, b, fn, [&] { Begin_Critical_Section(flags); });
  return 0;
}

int l_End_Critical_Section(lua_State* L) {
  constexpr const char* fn = "End_Critical_Section";
  Binding& b = binding(L);
  require_run(L, b, fn);
  guard(L, b, fn, [&] { End_Critical_Section(); });
  return 0;
}

int l_BlockOnID(lua_State* L) {
  constexpr const char* fn = "_BlockOnID";
  Binding& b = binding(L);
  require_run(L, b, fn);
  IdArg id = check_id(L, fn, 1);
  Flags flags = opt_flags(L, fn, 2, "flags");
  guard(L, b, fn, [&] { _BlockOnID(resolve(b, id), flags); });
  return 0;
}

int l_SignalID(lua_State* L) {
  constexpr const char* fn = "_SignalID";
  Binding& b = binding(L);
  require_run(L, b, fn);
  IdArg id = check_id(L, fn, 1);
  guard(L, b, fn, [&] { _SignalID(resolve(b, id)); });
  return 0;
}

int l_Create_Semaphore(lua_State* L) {
  constexpr const char* fn = "Create_Semaphore";
  Binding& b = binding(L);
  require_not_over(L, b, fn);  // at set-up too (scenario-api.md: objects a VxD makes at Device_Init)
  lua_Integer count = check_integer(L, fn, 1, "count");
  SEMHANDLE semaphore = 0;
  guard(L, b, fn, [&] {
    semaphore = b.phase == Phase::setup ? b.machine->create_semaphore(count) : Create_Semaphore(count);
  });
  lua_pushinteger(L, static_cast<lua_Integer>(semaphore));
  return 1;
}

int l_Wait_Semaphore(lua_State* L) {
  constexpr const char* fn = "Wait_Semaphore";
  Binding& b = binding(L);
  require_run(L, b, fn);
  SEMHANDLE semaphore = check_handle(L, fn, 1, "semaphore");
  Flags flags = opt_flags(L, fn, 2, "flags");
  guard(L, b, fn, [&] { Wait_Semaphore(semaphore, flags); });
  return 0;
}

int l_Signal_Semaphore(lua_State* L) {
  constexpr const char* fn = "Signal_Semaphore";
  Binding& b = binding(L);
  require_run(L, b, fn);
  SEMHANDLE semaphore = check_handle(L, fn, 1, "semaphore");
  guard(L, b, fn, [&] { Signal_Semaphore(semaphore); });
  return 0;
}

int l_Suspend_VM(lua_State* L) {
  constexpr const char* fn = "Suspend_VM";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  bool suspended = false;
  guard(L, b, fn, [&] { suspended = Suspend_VM(vm); });
  lua_pushboolean(L, suspended);
  return 1;
}

int l_Resume_VM(lua_State* L) {
  constexpr const char* fn = "Resume_VM";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  guard(L, b, fn, [&] { Resume_VM(vm); });
  return 0;
}

int l_Begin_Nest_Exec(lua_State* L) {
  constexpr const char* fn = "Begin_Nest_Exec";
  Binding& b = binding(L);
  require_run(L, b, fn);
  guard(L, b, fn, [&] { Begin_Nest_Exec(); });
  return 0;
}

int l_Resume_Exec(lua_State* L) {
  constexpr const char* fn = "Resume_Exec";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = opt_ms(L, fn, 1, "ms", 1);
  guard(L, b, fn, [&] { Resume_Exec(ms); });
  return 0;
}

int l_End_Nest_Exec(lua_State* L) {
  constexpr const char* fn = "End_Nest_Exec";
  Binding& b = binding(L);
  require_run(L, b, fn);
  guard(L, b, fn, [&] { End_Nest_Exec(); });
  return 0;
}

int l_Exec_Int(lua_State* L) {
  constexpr const char* fn = "Exec_Int";
  Binding& b = binding(L);
  require_run(L, b, fn);
  lua_Integer interrupt = check_integer(L, fn, 1, "n");
  if (interrupt < 0 || interrupt > 255) {
    raise_message(L, "%s: argument #1 'n' must be an interrupt number 0..255, got %I", fn, interrupt);
  }
  double ms = opt_ms(L, fn, 2, "ms", 1);
  guard(L, b, fn, [&] { Exec_Int(static_cast<int>(interrupt), ms); });
  return 0;
}

const luaL_Reg service_functions[] = {
    {"Adjust_Exec_Priority", l_Adjust_Exec_Priority},
    {"Adjust_Thread_Exec_Priority", l_Adjust_Thread_Exec_Priority},
    {"Begin_Critical_Section", l_Begin_Critical_Section},
    {"End_Critical_Section", l_End_Critical_Section},
    {"_BlockOnID", l_BlockOnID},
    {"_SignalID", l_SignalID},
    {"Create_Semaphore", l_Create_Semaphore},
    {"Wait_Semaphore", l_Wait_Semaphore},
    {"Signal_Semaphore", l_Signal_Semaphore},
    {"Suspend_VM", l_Suspend_VM},
    {"Resume_VM", l_Resume_VM},
    {"Begin_Nest_Exec", l_Begin_Nest_Exec},
    {"Resume_Exec", l_Resume_Exec},
    {"End_Nest_Exec", l_End_Nest_Exec},
    {"Exec_Int", l_Exec_Int},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* service_function_list() { return service_functions; }

}  // namespace vmmsim::lua
