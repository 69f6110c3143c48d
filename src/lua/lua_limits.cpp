// lua_limits.cpp: limited_alloc, the step hook and their messages (lua_limits.hpp).
#include "lua_limits.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "lua_binding.hpp"
#include "lua_place.hpp"

namespace vmmsim::lua {

void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* budget = static_cast<MemoryBudget*>(ud);
  if (ptr == nullptr) osize = 0;  // osize is then the kind of object, not a size
  if (nsize == 0) {
    std::free(ptr);
    budget->used -= osize;
    return nullptr;
  }
  if (nsize > osize && budget->limit != 0 && budget->used + (nsize - osize) > budget->limit) {
    budget->refused = true;
    return nullptr;  // Lua raises "not enough memory"
  }
  void* p = std::realloc(ptr, nsize);
  if (p != nullptr) budget->used = budget->used - osize + nsize;
  return p;
}

namespace {

Binding& binding_of(lua_State* L) { return **static_cast<Binding**>(lua_getextraspace(L)); }

std::string where_now(lua_State* L, lua_Debug* ar) {
  if (lua_getinfo(L, "Sl", ar) == 0 || ar->currentline <= 0) return "an unknown line";
  return fmt::format("{}:{}", source_name(*ar), ar->currentline);
}

// The hook leaves by lua_error (a longjmp): no C++ object may be alive in its frame then, or it
// leaks. These helpers build the message into the Binding and return, so their locals are gone
// before the hook jumps.
void note_interrupt(lua_State* L, lua_Debug* ar, Binding& b) {
  b.stop_message = "interrupted while Lua code ran at " + where_now(L, ar);
  b.stop_outcome = Outcome::error;
}

void note_runaway(lua_State* L, lua_Debug* ar, Binding& b) {
  std::string where = where_now(L, ar);
  std::string who = "the scenario's top level";
  if (b.phase == Phase::running) {
    THREADHANDLE t = Get_Cur_Thread_Handle();
    if (t != nullptr) who = fmt::format("thread {}", thread_name(t));
  } else if (b.phase == Phase::finished) {
    who = "a vmm.on_exit function";
  }
  b.stop_outcome = Outcome::time_limit;
  b.stop_message = fmt::format(
      "runaway: {} ran more than {} Lua instructions without calling vmm, at {} (--max-steps {}; is it a loop "
      "that never ends? 0 turns the limit off)",
      who, b.max_steps, where, b.max_steps);
}

void note_memory_line(lua_State* L, lua_Debug* ar, Binding& b) { b.memory_where = where_now(L, ar); }

void step_hook(lua_State* L, lua_Debug* ar);

// stop: the code must not go on. During the run the run ends first (fail_run records the outcome;
// the thread leaves at its next processing point). Then the hook raises the message as an error at
// every instruction, so that it propagates out of every Lua frame however many pcalls catch it, to
// the C++ caller (protected_call), which unwinds the simulator's frames as for any failed callback.
void stop(lua_State* L, Binding& b) {  // does not return: lua_error jumps
  if (b.phase == Phase::running) binding::end_run(*b.machine, b.stop_outcome, b.stop_message);
  lua_sethook(L, step_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, b.stop_message.c_str());
  lua_error(L);
}

void step_hook(lua_State* L, lua_Debug* ar) {
  Binding& b = binding_of(L);
  if (!b.stop_message.empty()) {
    lua_sethook(L, step_hook, LUA_MASKCOUNT, 1);  // this Lua thread too, if it is another one
    lua_pushstring(L, b.stop_message.c_str());
    lua_error(L);
  }
  if (b.interrupt != nullptr && b.interrupt->load(std::memory_order_relaxed)) {
    // Ctrl-C while Lua code runs without calling vmm (the processing points see it otherwise).
    note_interrupt(L, ar, b);
    stop(L, b);
  }
  b.steps += kStepsPerHook;
  if (b.memory != nullptr && b.memory->limit != 0 && b.memory->used > b.memory->limit / 2) note_memory_line(L, ar, b);
  if (b.max_steps == 0 || b.steps <= b.max_steps) return;
  note_runaway(L, ar, b);
  stop(L, b);
}

// guarded_handler: the scenario's xpcall's message handler (upvalue 1: the scenario's
// handler). Lua calls a message handler where the error is raised, and the error the step hook
// raises is raised inside the hook, where Lua runs no hooks (ldo.c luaD_hook clears allowhook until
// the error unwinds): a handler that loops would run there forever, deaf to --max-steps and Ctrl-C.
// So once the run is being stopped the error passes through as it is; otherwise the scenario's
// handler runs as with Lua's own xpcall.
int guarded_handler(lua_State* L) {
  if (!binding_of(L).stop_message.empty()) return 1;  // the error object, unhandled
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int finish_xpcall(lua_State* L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);  // the error object
    return 2;
  }
  return lua_gettop(L) - static_cast<int>(extra);
}

// guarded_xpcall: Lua 5.4's xpcall (lbaselib.c luaB_xpcall: the same checks, results and
// yieldability), with the scenario's handler behind guarded_handler.
int guarded_xpcall(lua_State* L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);  // the first result
  lua_pushvalue(L, 1);    // the function
  lua_rotate(L, 3, 2);    // both below the function's arguments
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_xpcall);
  return finish_xpcall(L, status, 2);
}

}  // namespace

bool is_step_limit_hook(lua_Hook hook) { return hook == step_hook; }

void install_step_limit(lua_State* L, Binding& b) {
  *static_cast<Binding**>(lua_getextraspace(L)) = &b;  // lua_newthread copies it to every thread
  if (b.max_steps != 0 || (b.memory != nullptr && b.memory->limit != 0) || b.interrupt != nullptr) {
    lua_sethook(L, step_hook, LUA_MASKCOUNT, kStepsPerHook);
  }
}

void install_guarded_xpcall(lua_State* L) {
  lua_pushcfunction(L, guarded_xpcall);
  lua_setglobal(L, "xpcall");
}

std::string memory_message(const MemoryBudget& budget, const Binding& b) {
  return fmt::format("memory: the scenario's Lua state reached --max-memory {} MB{} (not enough memory; 0 turns "
                     "the limit off)",
                     budget.limit_mb, b.memory_where.empty() ? "" : ", near " + b.memory_where + " (the line last seen running)");
}

}  // namespace vmmsim::lua
