// lua_scenario.cpp: run_lua_scenario: a fresh lua_State per run, the `vmm` table, the set-up chunk,
// the run, vmm.on_exit.
#include "lua_scenario.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "lua_binding.hpp"
#include "lua_limits.hpp"
#include "lua_text_loaders.hpp"
#include "lua_state_hash.hpp"

namespace vmmsim::lua {

namespace {

struct StateCloser {
  void operator()(lua_State* L) const { lua_close(L); }
};

// panic: what luaL_newstate installs, for the state made with lua_newstate (the counting allocator).
int panic(lua_State* L) {
  const char* msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error object is not a string";
  std::fprintf(stderr, "vmmsim: PANIC: unprotected error in call to Lua API (%s)\n", msg);
  return 0;  // then Lua aborts
}

struct OpenState {
  Binding* b;
  std::uint64_t seed;
  bool state_matching;
};

// The standard libraries scenarios seldom use are opened on first use, through an __index on the
// global table: opening all of them is a third of a run's cost when the explorer runs thousands of
// scenarios a second. A scenario sees no difference, except that rawget(_G, "io") and pairs(_G)
// show such a library only once it has been used.
struct LazyLibrary {
  const char* name;
  lua_CFunction open;
};
constexpr LazyLibrary kLazyLibraries[] = {
    {LUA_COLIBNAME, luaopen_coroutine}, {LUA_IOLIBNAME, luaopen_io},     {LUA_OSLIBNAME, luaopen_os},
    {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_DBLIBNAME, luaopen_debug}, {LUA_LOADLIBNAME, luaopen_package}};

// open_on_first_use: __index(_G, key): opens the library named key (or package, for `require`).
int open_on_first_use(lua_State* L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const char* key = lua_tostring(L, 2);
  bool is_require = std::strcmp(key, "require") == 0;
  for (const LazyLibrary& lib : kLazyLibraries) {
    if (std::strcmp(key, lib.name) != 0 && !(is_require && lib.open == luaopen_package)) continue;
    luaL_requiref(L, lib.name, lib.open, 1);  // also sets the global
    if (lib.open == luaopen_package) install_text_searcher(L);  // require loads text only
    if (is_require) {  // opening package set _G.require
      lua_pop(L, 1);
      lua_pushstring(L, "require");
      lua_rawget(L, 1);
    }
    return 1;
  }
  return 0;
}

// kVmmTableSize: room for the `vmm` entries a scenario typically uses.
constexpr int kVmmTableSize = 32;

// open_state: in protected mode: the standard libraries (with next and pairs in a fixed order,
// lua_next.cpp), math.randomseed(seed), the `vmm` table (also package.loaded.vmm).
int open_state(lua_State* L) {
  const auto* open = static_cast<const OpenState*>(lua_touserdata(L, 1));
  Binding& b = *open->b;
  const LazyLibrary eager[] = {{LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
                               {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math}};
  for (const LazyLibrary& lib : eager) {
    luaL_requiref(L, lib.name, lib.open, 1);
    lua_pop(L, 1);
  }
  open_next(L);  // over luaopen_base's next and pairs
  install_text_loaders(L);  // load, loadfile, dofile: source text only (issue 11 item 1)
  install_guarded_xpcall(L);  // a stopped run's error passes xpcall's handler by (issue 11 item 2)
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, open_on_first_use);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, static_cast<lua_Integer>(open->seed));
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  lua_createtable(L, 0, kVmmTableSize);
  open_objects(L, b);
  open_setup(L, b);
  open_runtime(L, b);
  open_vmm_on_first_use(L, b);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "vmm");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "vmm");
  if (open->state_matching) open_state_matching_guards(L, b);
  return 0;
}

struct OnExitCall {
  int fn;
  const char* outcome;
};

int on_exit_trampoline(lua_State* L) {
  const auto* call = static_cast<const OnExitCall*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->fn);
  lua_pushstring(L, call->outcome);
  lua_call(L, 1, 0);
  return 0;
}

// read_scenario: the file's text, or false with result set to exit code 2 and the reason.
bool read_scenario(const std::string& file, std::string& text, LuaRunResult& result) {
  auto fail = [&](const char* what) {
    result.outcome = Outcome::error;
    result.exit_code = 2;
    result.message = "cannot " + std::string(what) + " '" + file + "': " + std::strerror(errno);
    return false;
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!in) return fail("open");
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0) text.append(buffer, n);
  if (std::ferror(in.get()) != 0) return fail("read");
  if (!text.empty() && text[0] == '#') {  // a "#!" line, as luaL_loadfile skips it; keep the line count
    text.erase(0, text.find('\n') == std::string::npos ? text.size() : text.find('\n'));
  }
  return true;
}

void set_error(LuaRunResult& result, std::string message) {
  result.outcome = Outcome::error;
  result.exit_code = exit_code(Outcome::error);
  result.message = std::move(message);
}

// top_message: the error object on top of L as a string, popped.
std::string top_message(lua_State* L) {
  std::string message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
  lua_pop(L, 1);
  return message;
}

void run_on_exit(Binding& b, LuaRunResult& result) {
  std::string name(outcome_name(result.outcome));
  for (int fn : b.on_exit) {
    if (result.outcome == Outcome::error) break;
    OnExitCall call{fn, name.c_str()};
    try {
      protected_call(b.L0, on_exit_trampoline, &call);
    } catch (const ScenarioError& e) {
      set_error(result, e.what());
    }
  }
  for (int fn : b.on_exit) luaL_unref(b.L0, LUA_REGISTRYINDEX, fn);
  b.on_exit.clear();
}

// run: b and budget belong to the caller, which reads what the limits saw once the state is closed.
LuaRunResult run(const LuaRunOptions& options, Binding& b, MemoryBudget& budget) {
  LuaRunResult result;
  std::string own_source;
  if (options.source == nullptr && !read_scenario(options.file, own_source, result)) return result;
  const std::string& source = options.source != nullptr ? *options.source : own_source;

  budget.limit_mb = options.limits.max_memory_mb;
  budget.limit = static_cast<std::size_t>(options.limits.max_memory_mb) * 1024 * 1024;
  std::unique_ptr<lua_State, StateCloser> state(lua_newstate(limited_alloc, &budget));
  if (!state) {
    set_error(result, "not enough memory for a Lua state");
    return result;
  }
  lua_State* L = state.get();
  lua_atpanic(L, panic);
  b.memory = &budget;
  b.max_steps = options.limits.max_steps;
  b.interrupt = options.interrupt;
  install_step_limit(L, b);
  Machine machine;  // destroyed before lua_close: its closures release registry refs on L
  b.L0 = L;
  b.machine = &machine;
  b.log = options.log;
  machine.set_log(options.log);
  machine.set_chooser(options.chooser);
  machine.set_interrupt(options.interrupt);
  std::optional<LuaStateHasher> hasher;
  if (options.state_matching) {
    hasher.emplace(b);
    binding::set_user_state(machine, &*hasher);
  }

  OpenState open{&b, options.seed, options.state_matching};
  lua_pushcfunction(L, open_state);
  lua_pushlightuserdata(L, &open);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    set_error(result, top_message(L));
    return result;
  }

  std::string chunkname = "@" + options.file;
  if (!options.source_is_bytecode && source.rfind(LUA_SIGNATURE, 0) == 0) {
    set_error(result, options.file + ": a precompiled Lua chunk (luac output); scenarios are loaded from their "
                      "source text only");
    return result;
  }
  if (luaL_loadbufferx(L, source.data(), source.size(), chunkname.c_str(), options.source_is_bytecode ? "b" : "t") !=
      LUA_OK) {
    set_error(result, top_message(L));  // "file.lua:3: syntax error near ..."
    return result;
  }
  lua_pushcfunction(L, message_handler);
  lua_insert(L, -2);
  int status = lua_pcall(L, 0, 0, -2);
  if (status != LUA_OK) {
    set_error(result, top_message(L));
    lua_pop(L, 1);  // the message handler
    return result;
  }
  lua_pop(L, 1);

  b.phase = Phase::running;
  RunResult run = machine.run();
  b.phase = Phase::finished;
  if (run.outcome != Outcome::error && !b.fatal_error.empty()) {
    // A fiber left the run through abandon_current_thread without the core recording why.
    run.outcome = Outcome::error;
    run.message = b.fatal_error;
  }
  result.outcome = run.outcome;
  result.exit_code = exit_code(run.outcome);
  result.message = run.message;
  result.end_ms = run.end_ms;
  result.run = run;
  result.stopped = run.stopped;
  result.state_matching_refused = b.state_matching_refused;
  if (options.state_matching && result.state_matching_refused.empty()) {
    std::string driver = binding::driver_without_state(machine);
    if (!driver.empty())
      result.state_matching_refused = "the scenario loads the driver " + driver +
                                      ", whose C globals vmmsim cannot fingerprint (a driver that names its state "
                                      "with VMMSIM_VXD_STATE can be)";
  }
  if (run.outcome != Outcome::error && !run.stopped) run_on_exit(b, result);
  return result;
}

}  // namespace

bool read_scenario_file(const std::string& file, std::string& text, std::string& why) {
  LuaRunResult result;
  if (read_scenario(file, text, result)) return true;
  why = result.message;
  return false;
}

LuaRunResult run_lua_scenario(const LuaRunOptions& options) {
  try {
    MemoryBudget budget;  // outlives the Lua state it accounts for
    Binding b;            // outlives the machine: the closures the machine holds point to it
    LuaRunResult result = run(options, b, budget);
    if (!b.stop_message.empty() && result.outcome == Outcome::error) {
      // The step hook outside the run (the top level, vmm.on_exit) raised errors to stop the chunk.
      result.outcome = b.stop_outcome;
      result.exit_code = exit_code(result.outcome);
      result.message = b.stop_message;
    } else if (budget.refused && result.outcome == Outcome::error) {
      result.message = memory_message(budget, b);
    }
    return result;
  } catch (const std::exception& e) {
    LuaRunResult result;
    set_error(result, e.what());
    return result;
  }
}

}  // namespace vmmsim::lua
