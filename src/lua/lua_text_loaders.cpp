// lua_text_loaders.cpp: load, loadfile, dofile and require's Lua searcher with mode "t"
// (lua_text_loaders.hpp). Light C functions, the originals kept in the registry, so that the
// explorer's state hasher sees the same plain functions in every run.
#include "lua_text_loaders.hpp"

#include <cstring>

namespace vmmsim::lua {

namespace {

constexpr const char* kBaseLoad = "vmmsim.base_load";
constexpr const char* kPackage = "vmmsim.package";

// is_binary_refusal: the message Lua gives when mode "t" meets a binary chunk (ldo.c checkmode).
bool is_binary_refusal(lua_State* L, int idx) {
  const char* m = lua_tostring(L, idx);
  return m != nullptr && std::strstr(m, "attempt to load a binary chunk") != nullptr;
}

// load(chunk [, chunkname [, mode [, env]]]): the base library's load with mode "t".
int text_load(lua_State* L) {
  if (lua_gettop(L) < 3) lua_settop(L, 3);
  if (lua_isstring(L, 3)) {
    const char* mode = lua_tostring(L, 3);
    if (std::strchr(mode, 't') == nullptr) {
      luaL_pushfail(L);
      lua_pushfstring(L, "load: mode '%s' asks for a binary chunk; vmmsim loads Lua from source text only", mode);
      return 2;
    }
  }
  lua_pushstring(L, "t");
  lua_replace(L, 3);
  // The name a refusal gives, kept at index 1, below the call, so that it outlives the arguments.
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char* name = lua_tostring(L, 2);
    lua_pushstring(L, name[0] == '=' || name[0] == '@' ? name + 1 : name);
  } else {
    lua_pushstring(L, lua_type(L, 1) == LUA_TSTRING ? "the string given to load" : "the function given to load");
  }
  lua_insert(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, kBaseLoad);
  lua_insert(L, 2);
  lua_call(L, lua_gettop(L) - 2, LUA_MULTRET);
  if (lua_isnil(L, 2) && is_binary_refusal(L, 3)) {
    lua_settop(L, 2);
    push_binary_chunk_message(L, lua_tostring(L, 1));
  }
  return lua_gettop(L) - 1;  // load's results, above the name
}

// load_file_text: luaL_loadfilex with mode "t"; on a binary chunk the message names the file.
int load_file_text(lua_State* L, const char* fname) {
  int status = luaL_loadfilex(L, fname, "t");
  if (status != LUA_OK && is_binary_refusal(L, -1)) {
    lua_pop(L, 1);
    push_binary_chunk_message(L, fname == nullptr ? "stdin" : fname);
  }
  return status;
}

// loadfile([filename [, mode [, env]]])
int text_loadfile(lua_State* L) {
  const char* fname = luaL_optstring(L, 1, nullptr);
  const char* mode = luaL_optstring(L, 2, "t");
  if (std::strchr(mode, 't') == nullptr) {
    luaL_pushfail(L);
    lua_pushfstring(L, "loadfile: mode '%s' asks for a binary chunk; vmmsim loads Lua from source text only", mode);
    return 2;
  }
  bool has_env = !lua_isnone(L, 3);
  if (load_file_text(L, fname) != LUA_OK) {
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;
  }
  if (has_env) {  // as lbaselib.c load_aux: env becomes the chunk's first upvalue (_ENV)
    lua_pushvalue(L, 3);
    if (lua_setupvalue(L, -2, 1) == nullptr) lua_pop(L, 1);
  }
  return 1;
}

int dofile_continuation(lua_State* L, int, lua_KContext) { return lua_gettop(L) - 1; }

// dofile([filename])
int text_dofile(lua_State* L) {
  const char* fname = luaL_optstring(L, 1, nullptr);
  lua_settop(L, 1);
  if (load_file_text(L, fname) != LUA_OK) return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, dofile_continuation);
  return dofile_continuation(L, 0, 0);
}

// searcher_text(name): package.searchers[2]: the file package.searchpath finds on package.path,
// loaded with mode "t"; as loadlib.c searcher_Lua, a string saying where it looked when none is.
int searcher_text(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, kPackage);
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, name);
  lua_getfield(L, -3, "path");
  if (!lua_isstring(L, -1)) return luaL_error(L, "'package.path' must be a string");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 1;  // the "no file ..." list
  lua_pop(L, 1);
  const char* filename = lua_tostring(L, -1);
  if (load_file_text(L, filename) != LUA_OK) {
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, filename, lua_tostring(L, -1));
  }
  lua_pushstring(L, filename);
  return 2;
}

}  // namespace

const char* push_binary_chunk_message(lua_State* L, const char* name) {
  return lua_pushfstring(L,
                         "%s: a precompiled Lua chunk (luac or string.dump output); vmmsim loads scenarios and "
                         "the Lua they load from source text only",
                         name);
}

void install_text_loaders(lua_State* L) {
  lua_getglobal(L, "load");
  lua_setfield(L, LUA_REGISTRYINDEX, kBaseLoad);
  lua_pushcfunction(L, text_load);
  lua_setglobal(L, "load");
  lua_pushcfunction(L, text_loadfile);
  lua_setglobal(L, "loadfile");
  lua_pushcfunction(L, text_dofile);
  lua_setglobal(L, "dofile");
}

void install_text_searcher(lua_State* L) {
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kPackage);
  lua_getfield(L, -1, "searchers");
  lua_pushcfunction(L, searcher_text);
  lua_rawseti(L, -2, 2);
  lua_pop(L, 1);
}

}  // namespace vmmsim::lua
