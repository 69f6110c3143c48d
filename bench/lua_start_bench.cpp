// lua_start_bench.cpp: starting a Lua scenario (a fresh lua_State, the `vmm` bindings, loading and
// running a one-thread scenario) against starting the stand-alone interpreter: `lua5.4 -e ''`.
#include <spawn.h>
#include <sys/wait.h>

#include "lua_scenario.hpp"
#include "timing.hpp"

extern char** environ;

namespace vmmsim::bench {
namespace {

void lua_scenario_start(benchmark::State& state) {
  lua::LuaRunOptions options;
  options.file = VMMSIM_BENCH_DIR "/empty_scenario.lua";
  for (auto _ : state) {
    lua::LuaRunResult result = lua::run_lua_scenario(options);
    if (result.exit_code != 0) {
      state.SkipWithError(result.message.c_str());
      return;
    }
  }
}

void lua_process_start(benchmark::State& state) {
  char lua[] = "lua5.4", e[] = "-e", empty[] = "";
  char* argv[] = {lua, e, empty, nullptr};
  for (auto _ : state) {
    pid_t pid = 0;
    int status = 0;
    if (posix_spawnp(&pid, lua, nullptr, nullptr, argv, environ) != 0 || waitpid(pid, &status, 0) != pid ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("lua5.4 -e '' failed (is lua5.4 installed?)");
      return;
    }
  }
}

BENCHMARK(lua_scenario_start)->Name("lua_start/scenario")->Apply(micro)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(lua_process_start)->Name("lua_start/lua5.4_process")->Apply(micro)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace vmmsim::bench
