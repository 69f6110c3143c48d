// lua_internals_check.hpp: whether the Lua-internals layer of state matching can be trusted with
// the Lua it was built and runs with (issue 16 item 3).
//
// That layer (lua_bytecode.cpp, lua_suspension.cpp; the target vmmsim_lua_internals) reads Lua's
// bytecode and places a suspended frame at one instruction from what the public debug API shows of
// it, which rests on facts of one Lua release (the dump format, the opcodes, where ldebug.c counts
// a frame's slots). A Lua update could change them without a word, and pruning on a wrong placement
// would lose schedules. So `explore --reduce` first asks lua_internals_unsound(): the release the
// headers name must be one the layer was validated on, and a self-test, run once per process,
// suspends real Lua frames at known instructions and checks the layer places each where it is.
// Anything else refuses --reduce with the reason; it never prunes on an unchecked layer.
#pragma once

#include <string>

namespace vmmsim::lua {

// kValidatedLuaReleases: LUA_VERSION_RELEASE_NUM values the layer was checked against (Lua 5.4.4,
// Debian 12's liblua5.4-dev; bytecode_test.cpp is the full check).
inline constexpr long kValidatedLuaReleases[] = {50404};

// release_unsound: "" if `release` (a LUA_VERSION_RELEASE_NUM) is validated; otherwise why not.
std::string release_unsound(long release);

// run_internals_self_test: "" if every probe of the self-test is placed right; otherwise the first
// that is not, with what the layer answered. Each call runs it afresh (a few hundred microseconds).
std::string run_internals_self_test();

// lua_internals_unsound: release_unsound(LUA_VERSION_RELEASE_NUM), the runtime library's version,
// then the self-test; "" when all pass. Computed once per process.
const std::string& lua_internals_unsound();

}  // namespace vmmsim::lua
