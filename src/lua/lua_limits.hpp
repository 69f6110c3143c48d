// lua_limits.hpp: the limits on what a scenario's Lua code may take (issue 11 item 2), both counted
// so that hitting one is deterministic: the same scenario and schedule hit it at the same place.
//
//   --max-steps N    Lua instructions a thread (or the top level) may execute between two calls into
//                    vmm (a count hook every kStepsPerHook instructions): `while true do end` ends
//                    the run as time_limit with a message starting "runaway:" that names the thread,
//                    the file and line, and the limit.
//   --max-memory MB  the bytes the scenario's Lua state may hold (a counting lua_Alloc): past it an
//                    allocation fails; the error names the limit and the line last seen running.
//
// The count hook costs Lua a check per instruction (Lua 5.4 runs luaG_traceexec for every
// instruction while a count hook is set); simulator time is not affected.
#pragma once

#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace vmmsim::lua {

struct Binding;

inline constexpr std::uint64_t kDefaultMaxSteps = 100'000'000;
inline constexpr std::uint64_t kDefaultMaxMemoryMb = 1024;
inline constexpr int kStepsPerHook = 1000;

// MemoryBudget: the allocator's account; declared before the lua_State it serves and outliving it.
struct MemoryBudget {
  std::size_t used = 0;
  std::size_t limit = 0;  // 0: no limit
  bool refused = false;   // an allocation was refused for the limit
  std::uint64_t limit_mb = 0;
};

// limited_alloc: a lua_Alloc over malloc that keeps `used` and refuses growth past `limit`.
void* limited_alloc(void* budget, void* ptr, std::size_t osize, std::size_t nsize);

// install_step_limit: the count hook on L (Lua threads made later inherit it), reporting to b.
void install_step_limit(lua_State* L, Binding& b);
// install_guarded_xpcall: over the base library's xpcall (after luaopen_base, after
// install_step_limit): the same answers, but a run being stopped passes the message handler by
// (lua_limits.cpp, guarded_handler).
void install_guarded_xpcall(lua_State* L);

// is_step_limit_hook: hook is install_step_limit's (the state fingerprint accepts it, lua_state_hash.cpp).
bool is_step_limit_hook(lua_Hook hook);

// memory_message: the error for a run whose allocation the budget refused.
std::string memory_message(const MemoryBudget& budget, const Binding& b);

}  // namespace vmmsim::lua
