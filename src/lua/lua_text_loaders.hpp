// lua_text_loaders.hpp: scenarios and the Lua they load are source text (issue 11 item 1).
//
// A precompiled chunk (luac5.4 output, string.dump) is not checked by Lua before it runs: a few
// bytes changed in one crash the process. vmmsim loads the scenario file itself with mode "t"
// (lua_scenario.cpp) and replaces every loader a scenario can reach so that it does the same:
//   load        mode forced to "t"; a binary string gives nil and a message naming the chunk
//   loadfile    mode forced to "t"; a binary file gives nil and a message naming the file
//   dofile      loads with mode "t"; a binary file raises an error naming the file
//   require     package.searchers[2] (Lua modules on package.path) loads with mode "t"
// C modules (package.cpath, package.loadlib) are native code, not chunks, and stay as Lua has them.
#pragma once

#include <lua.hpp>

namespace vmmsim::lua {

// install_text_loaders: over the base library's load, loadfile and dofile (after luaopen_base).
void install_text_loaders(lua_State* L);

// install_text_searcher: package.searchers[2] for the package table on top of L (after luaopen_package).
void install_text_searcher(lua_State* L);

// push_binary_chunk_message: pushes (and returns) what vmmsim says of a precompiled chunk named name.
const char* push_binary_chunk_message(lua_State* L, const char* name);

}  // namespace vmmsim::lua
