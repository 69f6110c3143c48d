// lua_state_guards.cpp: what state matching cannot allow (lua_state_hash.hpp). Two runs that reach
// the same state have different garbage; a scenario that observes the collector (a finalizer, a weak
// table, collectgarbage("count")) can tell them apart, so pruning one of them would not be sound.
// The guards do not change what the functions do: they only record the first such use, and the
// explorer then stops with a usage error naming it (explore --reduce, docs/errors.md).
#include <cstring>

#include "lua_place.hpp"
#include "lua_state_hash.hpp"

namespace vmmsim::lua {

namespace {

void refuse(lua_State* L, Binding& b, const char* what) {
  if (!b.state_matching_allowed) return;
  b.state_matching_allowed = false;
  lua_Debug ar;
  const char* where = "";
  if (lua_getstack(L, 1, &ar) != 0 && lua_getinfo(L, "Sl", &ar) != 0 && ar.currentline > 0)
    where = lua_pushfstring(L, " at %s:%d", source_name(ar), ar.currentline);
  b.state_matching_refused = "the scenario uses " + std::string(what) + where +
                             "; what it sees differs between runs that reach the same state";
  if (*where != '\0') lua_pop(L, 1);
}

// guarded_setmetatable: upvalue 1 the binding, 2 the original setmetatable.
int guarded_setmetatable(lua_State* L) {
  auto& b = *static_cast<Binding*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (lua_type(L, 2) == LUA_TTABLE) {
    if (lua_getfield(L, 2, "__gc") != LUA_TNIL) refuse(L, b, "setmetatable with a __gc finalizer");
    if (lua_getfield(L, 2, "__mode") != LUA_TNIL) refuse(L, b, "setmetatable with __mode (a weak table)");
    lua_pop(L, 2);
  }
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// guarded_collectgarbage: "collect", "stop" and "restart" change only when the collector runs;
// every other option reports on it.
int guarded_collectgarbage(lua_State* L) {
  auto& b = *static_cast<Binding*>(lua_touserdata(L, lua_upvalueindex(1)));
  const char* opt = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "collect";
  if (std::strcmp(opt, "collect") != 0 && std::strcmp(opt, "stop") != 0 && std::strcmp(opt, "restart") != 0) {
    refuse(L, b, lua_pushfstring(L, "collectgarbage(\"%s\")", opt));
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void wrap(lua_State* L, Binding& b, const char* name, lua_CFunction guard) {
  lua_pushlightuserdata(L, &b);
  lua_getglobal(L, name);
  lua_pushcclosure(L, guard, 2);
  lua_setglobal(L, name);
}

}  // namespace

void open_state_matching_guards(lua_State* L, Binding& b) {
  wrap(L, b, "setmetatable", guarded_setmetatable);
  wrap(L, b, "collectgarbage", guarded_collectgarbage);
}

}  // namespace vmmsim::lua
