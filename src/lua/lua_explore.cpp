// lua_explore.cpp: a Lua scenario as the explorer's ScenarioRunner (explore.hpp).
#include <memory>
#include <string>
#include <utility>

#include <lua.hpp>

#include "lua_scenario.hpp"

namespace vmmsim::lua {

namespace {

// Scenario: the file's name and its (precompiled) text, shared by every runner of an exploration.
using Scenario = std::pair<std::string, std::string>;

class LuaRunner final : public ScenarioRunner {
 public:
  LuaRunner(std::shared_ptr<const Scenario> scenario, bool state_matching)
      : scenario_(std::move(scenario)), state_matching_(state_matching) {}

  ScheduleRun run(Chooser& chooser) override {
    LuaRunOptions options;
    options.file = scenario_->first;
    options.source = &scenario_->second;
    options.chooser = &chooser;
    options.state_matching = state_matching_;
    LuaRunResult r = run_lua_scenario(options);
    ScheduleRun run{r.outcome, std::move(r.message), r.end_ms, false, {}};
    run.stopped = r.stopped;
    run.unsupported = std::move(r.state_matching_refused);
    return run;
  }

 private:
  std::shared_ptr<const Scenario> scenario_;
  bool state_matching_;
};

}  // namespace

// precompiled: the chunk as Lua bytecode with its debug information (so errors still say
// "file.lua:12:"), compiled once for every run of the exploration; the text itself when it does not
// compile, so that each run reports the syntax error as `vmmsim run` does.
static std::string precompiled(const std::string& file, const std::string& source) {
  lua_State* L = luaL_newstate();
  if (L == nullptr) return source;
  std::string chunkname = "@" + file;
  std::string out;
  if (luaL_loadbufferx(L, source.data(), source.size(), chunkname.c_str(), "t") == LUA_OK) {
    auto writer = [](lua_State*, const void* p, std::size_t size, void* ud) {
      static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
      return 0;
    };
    if (lua_dump(L, writer, &out, 0) != 0) out.clear();
  }
  lua_close(L);
  return out.empty() ? source : out;
}

vmmsim::RunnerFactory explore_runner(std::string file, std::string source, bool state_matching) {
  source = precompiled(file, source);
  auto scenario = std::make_shared<const Scenario>(std::move(file), std::move(source));
  return [scenario, state_matching]() -> std::unique_ptr<ScenarioRunner> {
    return std::make_unique<LuaRunner>(scenario, state_matching);
  };
}

}  // namespace vmmsim::lua
