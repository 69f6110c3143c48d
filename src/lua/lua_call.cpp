// lua_call.cpp: calling Lua from C++: thread bodies, event callbacks, interrupt handlers.
//
// Every simulated thread runs on its own fiber (its own C stack), and a lua_State's nested calls and
// error jumps live on the C stack of whoever called into it, so each simulated thread gets its own
// Lua thread (state_for). A body, a callback and an interrupt handler all run on the Lua thread of
// Get_Cur_Thread_Handle(): an interrupt handler runs on the fiber of the interrupted thread (the idle
// thread "sys" when the CPU was idle).
//
// Each call is a lua_pcall of a C trampoline that builds the arguments in protected mode, so even a
// memory error while pushing them stays inside Lua. A failure becomes a ScenarioError thrown by
// protected_call after lua_pcall has returned: no Lua frame is between the throw and the simulator.
#include <cstring>
#include <memory>
#include <utility>

#include "lua_binding.hpp"
#include "lua_place.hpp"
#include "lua_closures.hpp"

namespace vmmsim::lua {

LuaRef::~LuaRef() {
  // The registry belongs to every Lua thread; L0 is never running Lua code on another fiber, and
  // luaL_unref on an existing slot does not allocate, so this cannot raise.
  if (ref_ != LUA_NOREF && ref_ != LUA_REFNIL) luaL_unref(b_->L0, LUA_REGISTRYINDEX, ref_);
}

CallbackRefs take_callback(lua_State* L, int fn_arg, int refdata_arg) {
  CallbackRefs refs;
  if (refdata_arg != 0) {
    int is_integer = 0;
    lua_Integer value = lua_tointegerx(L, refdata_arg, &is_integer);
    if (lua_type(L, refdata_arg) == LUA_TNUMBER && is_integer && value >= 0) {
      refs.shown = static_cast<RefData>(value);
    }
    lua_pushvalue(L, refdata_arg);
    refs.refdata = luaL_ref(L, LUA_REGISTRYINDEX);  // nil gives LUA_REFNIL, which pushes nil
  }
  lua_pushvalue(L, fn_arg);
  refs.fn = luaL_ref(L, LUA_REGISTRYINDEX);
  return refs;
}

namespace {

// --- trampolines: run in protected mode, argument 1 a light userdata ---------------------------

int plain_trampoline(lua_State* L) {  // bodies and interrupt handlers: fn()
  const auto* closure = static_cast<const Closure*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, closure->fn.get());
  lua_call(L, 0, 0);
  return 0;
}

struct EventCall {
  const Closure* closure;
  const EventContext* context;
  bool* result = nullptr;  // Call_When_Idle: where fn(e)'s truth goes
};

int event_trampoline(lua_State* L) {  // callbacks: fn(e)
  const auto* call = static_cast<const EventCall*>(lua_touserdata(L, 1));
  Binding& b = *call->closure->b;
  const EventContext& ctx = *call->context;
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->closure->fn.get());
  lua_createtable(L, 0, 5);
  push_vm(L, b, ctx.vm);
  lua_setfield(L, -2, "vm");
  push_thread(L, b, ctx.thread);
  lua_setfield(L, -2, "thread");
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->closure->refdata.get());
  lua_setfield(L, -2, "refdata");
  lua_pushboolean(L, ctx.timed_out);
  lua_setfield(L, -2, "timed_out");
  lua_pushinteger(L, static_cast<lua_Integer>(ctx.handle));
  lua_setfield(L, -2, "handle");
  lua_call(L, 1, call->result != nullptr ? 1 : 0);
  if (call->result != nullptr) *call->result = lua_toboolean(L, -1) != 0;
  return 0;
}

int new_thread_trampoline(lua_State* L) {  // on L0: a new Lua thread, anchored in the registry
  lua_newthread(L);
  lua_pushvalue(L, -1);
  luaL_ref(L, LUA_REGISTRYINDEX);
  return 1;
}

// has_position: whether msg starts like "chunk:12: ..." (a Lua error raised with a position).
bool has_position(const char* msg) {
  const char* end = std::strchr(msg, '\n');
  if (end == nullptr) end = msg + std::strlen(msg);
  for (const char* p = std::strchr(msg, ':'); p != nullptr && p < end; p = std::strchr(p + 1, ':')) {
    const char* q = p + 1;
    while (q < end && *q >= '0' && *q <= '9') ++q;
    if (q > p + 1 && q < end && *q == ':' && p > msg) return true;
  }
  return false;
}

}  // namespace

int message_handler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
      msg = lua_tostring(L, -1);
    } else {
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
  }
  if (has_position(msg)) {
    lua_pushstring(L, msg);
    return 1;
  }
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: %s", source_name(ar), ar.currentline, msg);
      return 1;
    }
  }
  lua_pushstring(L, msg);
  return 1;
}

void protected_call(lua_State* L, lua_CFunction trampoline, void* data) {
  if (lua_checkstack(L, 4) == 0) throw ScenarioError("Lua stack overflow");
  int base = lua_gettop(L);
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, trampoline);
  lua_pushlightuserdata(L, data);
  if (lua_pcall(L, 1, 0, base + 1) == LUA_OK) {
    lua_settop(L, base);
    return;
  }
  std::string message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                        : "(error object is not a string)";
  lua_settop(L, base);
  throw ScenarioError(message);
}

lua_State* state_for(Binding& b, THREADHANDLE thread) {
  if (void* data = binding::user_data(thread)) return static_cast<lua_State*>(data);
  lua_State* L0 = b.L0;
  if (lua_checkstack(L0, 2) == 0) throw ScenarioError("Lua stack overflow");
  lua_pushcfunction(L0, new_thread_trampoline);
  if (lua_pcall(L0, 0, 1, 0) != LUA_OK) {
    lua_pop(L0, 1);
    throw ScenarioError("not enough memory for a Lua thread");
  }
  lua_State* L1 = lua_tothread(L0, -1);
  lua_pop(L0, 1);  // the registry keeps it
  binding::set_user_data(thread, L1);
  return L1;
}

void LuaBody::operator()() const {
  lua_State* L = state_for(*closure->b, Get_Cur_Thread_Handle());
  protected_call(L, plain_trampoline, const_cast<Closure*>(closure.get()));
}

void LuaCallback::operator()(const EventContext& context) const {
  lua_State* L = state_for(*closure->b, Get_Cur_Thread_Handle());
  EventCall call{closure.get(), &context};
  protected_call(L, event_trampoline, &call);
}

bool LuaIdleCallback::operator()(const EventContext& context) const {
  lua_State* L = state_for(*closure->b, Get_Cur_Thread_Handle());
  bool used = false;
  EventCall call{closure.get(), &context, &used};
  protected_call(L, event_trampoline, &call);
  return used;
}

bool is_body_trampoline(lua_CFunction f) { return f == plain_trampoline; }

Body make_body(Binding& b, CallbackRefs refs) { return LuaBody{std::make_shared<const Closure>(b, refs)}; }

InterruptHandler make_handler(Binding& b, CallbackRefs refs) {
  return LuaHandler{std::make_shared<const Closure>(b, refs)};
}

EventCallback make_callback(Binding& b, CallbackRefs refs) {
  return LuaCallback{std::make_shared<const Closure>(b, refs)};
}

IdleCallback make_idle_callback(Binding& b, CallbackRefs refs) {
  return LuaIdleCallback{std::make_shared<const Closure>(b, refs)};
}

BlockId intern_id(Binding& b, const std::string& id) {
  auto it = b.string_ids.find(id);
  if (it != b.string_ids.end()) return it->second;
  BlockId value = (BlockId{1} << 63) | static_cast<BlockId>(b.string_ids.size());
  b.id_strings.push_back(&b.string_ids.emplace(id, value).first->first);  // keys never move
  name_block_id(value, id);
  return value;
}

}  // namespace vmmsim::lua
