// lua_closures.hpp: the C++ closures the binding hands the simulator for Lua functions (bodies,
// event callbacks, interrupt handlers). They are named types, not lambdas, so that the state
// fingerprint (lua_state_hash.cpp) can find the Lua function and refdata inside a Body or an
// EventCallback with std::function::target.
#pragma once

#include <memory>

#include "lua_binding.hpp"

namespace vmmsim::lua {

// Closure: what a closure owns: the function and the refdata, released with the closure.
struct Closure {
  Closure(Binding& binding, CallbackRefs refs) noexcept
      : b(&binding), fn(binding, refs.fn), refdata(binding, refs.refdata) {}
  Binding* b;
  LuaRef fn;
  LuaRef refdata;
};

// LuaBody / LuaHandler: fn() on the Lua thread of the current simulated thread.
struct LuaBody {
  std::shared_ptr<const Closure> closure;
  void operator()() const;
};
struct LuaHandler : LuaBody {};

// LuaCallback: fn(e), e built from the EventContext.
struct LuaCallback {
  std::shared_ptr<const Closure> closure;
  void operator()(const EventContext& context) const;
};

// LuaIdleCallback: a Call_When_Idle callback fn(e); a true result means it used the idle time.
struct LuaIdleCallback {
  std::shared_ptr<const Closure> closure;
  bool operator()(const EventContext& context) const;
};

// is_body_trampoline: f is the C function at the bottom of every body's and handler's Lua stack.
bool is_body_trampoline(lua_CFunction f);

}  // namespace vmmsim::lua
