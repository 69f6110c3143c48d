// lua_place.hpp: the name of the file a Lua function came from, for vmmsim's own messages.
//
// Lua's short_src cuts a file name to LUA_IDSIZE (60) characters from the left, so a scenario deep
// in a directory was named "...ork/main/tests/x.lua": a user cannot open that. Chunks loaded from a
// file have the source "@path" and get the whole path; other chunks keep Lua's short form
// ([string "..."]). Lua's own runtime errors still use short_src: that text is Lua's.
#pragma once

#include <lua.hpp>

namespace vmmsim::lua {

inline const char* source_name(const lua_Debug& ar) {
  if (ar.source != nullptr && (ar.source[0] == '@' || ar.source[0] == '=')) return ar.source + 1;
  return ar.short_src;
}

}  // namespace vmmsim::lua
