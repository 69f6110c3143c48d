// lua_objects.cpp: thread and VM values. Each is a full userdata boxing the handle, one per object
// (a registry cache keyed by the handle as light userdata), so that `e.thread == B` holds. Their
// fields (name, priority, vm / thread) are read-only views of the simulator's state.
#include <string_view>

#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

constexpr const char* kThreadMeta = "vmmsim.thread";
constexpr const char* kVMMeta = "vmmsim.vm";

struct Box {
  void* handle;  // THREADHANDLE or VMHANDLE, as the metatable says
};

void* to_handle(lua_State* L, int idx, const char* meta) {
  auto* box = static_cast<Box*>(luaL_testudata(L, idx, meta));
  return box != nullptr ? box->handle : nullptr;
}

void push_boxed(lua_State* L, int cache_ref, const char* meta, void* handle) {
  if (handle == nullptr) {
    lua_pushnil(L);
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, cache_ref);
  if (lua_rawgetp(L, -1, handle) != LUA_TNIL) {  // cache, value
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  auto* box = static_cast<Box*>(lua_newuserdatauv(L, sizeof(Box), 0));
  box->handle = handle;
  luaL_setmetatable(L, meta);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, handle);  // cache[handle] = value
  lua_remove(L, -2);
}

void push_view(lua_State* L, std::string_view s) { lua_pushlstring(L, s.data(), s.size()); }

int thread_index(lua_State* L) {
  Binding& b = binding(L);
  THREADHANDLE thread = to_thread(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;  // t[1] and the like: nil
  std::string_view key = lua_tostring(L, 2);
  std::string_view name;
  Priority priority = 0;
  VMHANDLE vm = nullptr;
  bool finished = false;
  guard(L, b, "thread", [&] {
    name = thread_name(thread);
    priority = thread_priority(thread);
    vm = thread_vm(thread);
    finished = thread_finished(thread);
  });
  if (key == "name") {
    push_view(L, name);
  } else if (key == "priority") {
    lua_pushinteger(L, priority);
  } else if (key == "vm") {
    push_vm(L, b, vm);
  } else if (key == "finished") {
    lua_pushboolean(L, finished);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int vm_index(lua_State* L) {
  Binding& b = binding(L);
  VMHANDLE vm = to_vm(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  std::string_view key = lua_tostring(L, 2);
  std::string_view name;
  Priority priority = 0;
  THREADHANDLE thread = nullptr;
  guard(L, b, "VM", [&] {
    name = vm_name(vm);
    priority = vm_priority(vm);
    thread = vm_thread(vm);
  });
  if (key == "name") {
    push_view(L, name);
  } else if (key == "priority") {
    lua_pushinteger(L, priority);
  } else if (key == "thread") {
    push_thread(L, b, thread);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int thread_tostring(lua_State* L) {
  Binding& b = binding(L);
  THREADHANDLE thread = to_thread(L, 1);
  std::string_view name;
  guard(L, b, "thread", [&] { name = thread_name(thread); });
  lua_pushliteral(L, "thread: ");
  push_view(L, name);
  lua_concat(L, 2);
  return 1;
}

int vm_tostring(lua_State* L) {
  Binding& b = binding(L);
  VMHANDLE vm = to_vm(L, 1);
  std::string_view name;
  guard(L, b, "VM", [&] { name = vm_name(vm); });
  lua_pushliteral(L, "VM: ");
  push_view(L, name);
  lua_concat(L, 2);
  return 1;
}

int read_only(lua_State* L) {
  const char* what = to_thread(L, 1) != nullptr ? "thread" : "VM";
  raise_message(L, "cannot set field '%s' of a %s: its fields are read-only",
                luaL_tolstring(L, 2, nullptr), what);
}

const luaL_Reg thread_meta[] = {
    {"__index", thread_index},
    {"__newindex", read_only},
    {"__tostring", thread_tostring},
    {nullptr, nullptr},
};

const luaL_Reg vm_meta[] = {
    {"__index", vm_index},
    {"__newindex", read_only},
    {"__tostring", vm_tostring},
    {nullptr, nullptr},
};

void new_metatable(lua_State* L, Binding& b, const char* meta, const char* type_name,
                   const luaL_Reg* functions) {
  luaL_newmetatable(L, meta);
  lua_pushlightuserdata(L, &b);
  luaL_setfuncs(L, functions, 1);
  lua_pushstring(L, type_name);
  lua_setfield(L, -2, "__name");  // luaL_typename-style messages say "thread" / "VM"
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");  // getmetatable() cannot reach the functions
  lua_pop(L, 1);
}

}  // namespace

void open_objects(lua_State* L, Binding& b) {
  new_metatable(L, b, kThreadMeta, "thread", thread_meta);
  new_metatable(L, b, kVMMeta, "VM", vm_meta);
  lua_newtable(L);
  b.threads_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  b.vms_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void push_thread(lua_State* L, Binding& b, THREADHANDLE thread) {
  push_boxed(L, b.threads_ref, kThreadMeta, thread);
}

void push_vm(lua_State* L, Binding& b, VMHANDLE vm) { push_boxed(L, b.vms_ref, kVMMeta, vm); }

THREADHANDLE to_thread(lua_State* L, int idx) {
  return static_cast<THREADHANDLE>(to_handle(L, idx, kThreadMeta));
}

VMHANDLE to_vm(lua_State* L, int idx) { return static_cast<VMHANDLE>(to_handle(L, idx, kVMMeta)); }

}  // namespace vmmsim::lua
