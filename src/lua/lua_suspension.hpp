// lua_suspension.hpp: at which instruction a suspended Lua frame stands, from what the public
// debug API shows of it.
//
// The explorer will prune schedules by matching states, fingerprinting every suspended Lua
// thread's frames. lua_getinfo gives a frame's function and current line, lua_getlocal its slots,
// but not its program counter, and one line can hold several points where a frame calls out
// (`a() b()`, `f(g())`). A fingerprint of (function, line, slots) is sound only where it names
// exactly one instruction. suspended_pc says whether it does, from the function's bytecode
// (lua_bytecode.hpp) and from where Lua 5.4.4 puts the function a frame calls, which fixes how many
// slots lua_getlocal sees.
//
// nslots, for a frame at level >= 1: the number of n >= 1 for which lua_getlocal(L, &ar, n) is
// not NULL. In ldebug.c luaG_findlocal that is max(named locals live at the current pc,
// ci->next->func - (ci->func + 1)): the called function's slot, counted from the frame's base.
//
// Out of scope, for the caller to rule out:
// - debug hooks: a hook can be called at any instruction (the caller refuses to fingerprint a
//   thread with a hook set);
// - errors. An error unwinds the frame, but two things run before it does, with the erroring frame
//   still on the stack at the erroring instruction: luaG_runerror's luaC_checkGC (finalizers), and
//   the message handler of the enclosing xpcall or lua_pcall (ldebug.c luaG_errormsg). Neither is
//   modelled (the pc is not even saved for an integer `%` or `//` by zero): a finalizer, which
//   call_out reports as Via::finalizer, is placed soundly only if no error triggered it, and a
//   message handler looks like a call or a metamethod of the erroring instruction.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <optional>

#include "lua_bytecode.hpp"

namespace vmmsim::lua {

// Event: ltm.h's TMS, the metamethod events in their order ("ORDER TM").
enum class Event : std::uint8_t {
  index, newindex, gc, mode, len, eq, add, sub, mul, mod, pow, div, idiv,
  band, bor, bxor, shl, shr, unm, bnot, lt, le, concat, call, close,
};

// Via: how a frame called out, as far as the frame it called can tell (ldebug.c funcnamefromcall).
enum class Via : std::uint8_t {
  unknown,       // not known (a tail call above, a hook): every kind of call-out is considered
  call,          // OP_CALL or OP_TAILCALL called its function (or the function's __call)
  for_iterator,  // OP_TFORCALL called the generic for's iterator
  metamethod,    // an instruction called the metamethod `event`
  finalizer,     // a garbage-collector step ran a __gc finalizer
};

struct CallOut {
  Via via = Via::unknown;
  Event event = Event::index;  // for Via::metamethod
};

// call_out: how the frame at `level` (>= 1) of L called out, read from lua_getinfo(L, "nt") of the
// frame at level - 1: its namewhat and name come from the caller's current instruction
// (funcnamefromcode), or are "metamethod" "__gc" while the caller runs a finalizer (CIST_FIN).
// Via::unknown when that frame is a tail call (its caller's name is lost) or there is none.
CallOut call_out(lua_State* L, int level);

// suspended_pc: the one instruction of proto p, on source line `line`, at which a frame of p can be
// suspended while it has called out (a call, a metamethod, a __close handler, a finalizer run by an
// allocation, ...) with exactly `nslots` stack slots visible to lua_getlocal; std::nullopt if no
// instruction or more than one could be. The pc is the frame's currentpc, the instruction Lua
// reports the line of: for a finalizer run by OP_NEWTABLE, the OP_EXTRAARG after it.
std::optional<int> suspended_pc(const Proto& p, int line, int nslots);
// The same, knowing how the frame called out (call_out): only instructions calling out that way
// are candidates.
std::optional<int> suspended_pc(const Proto& p, int line, int nslots, CallOut how);

}  // namespace vmmsim::lua
