// lua_explore.cpp: a Lua scenario as the explorer's ScenarioRunner (explore.hpp).
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include <lua.hpp>

#include "lua_internals_check.hpp"
#include "lua_scenario.hpp"

namespace vmmsim::lua {

namespace {

// Scenario: the file's name, its text or our compilation of it, and which; shared by every runner.
struct Scenario {
  std::string file;
  std::string source;
  bool bytecode = false;
};

class LuaRunner final : public ScenarioRunner {
 public:
  LuaRunner(std::shared_ptr<const Scenario> scenario, bool state_matching, LuaLimits limits)
      : scenario_(std::move(scenario)), state_matching_(state_matching), limits_(limits) {}

  ScheduleRun run(Chooser& chooser) override {
    LuaRunOptions options;
    options.file = scenario_->file;
    options.source = &scenario_->source;
    options.source_is_bytecode = scenario_->bytecode;
    options.chooser = &chooser;
    options.state_matching = state_matching_;
    options.limits = limits_;
    LuaRunResult r = run_lua_scenario(options);
    ScheduleRun run{r.outcome, std::move(r.message), r.end_ms, false, {}, {}};
    run.stopped = r.stopped;
    run.unsupported = std::move(r.state_matching_refused);
    if (r.run && r.run->outcome == r.outcome) run.error_context = r.run->error_context;
    return run;
  }

 private:
  std::shared_ptr<const Scenario> scenario_;
  bool state_matching_;
  LuaLimits limits_;
};

}  // namespace

// precompiled: the chunk as Lua bytecode with its debug information (so errors still say
// "file.lua:12:"), compiled once for every run of the exploration; the text itself when it does not
// compile, so that each run reports the syntax error as `vmmsim run` does.
static std::string precompiled(const std::string& file, const std::string& source) {
  if (source.rfind(LUA_SIGNATURE, 0) == 0) return source;  // the user's bytecode: each run refuses it
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

vmmsim::RunnerFactory explore_runner(std::string file, std::string source, bool state_matching, LuaLimits limits) {
  // Sound or refused: state matching never prunes on a reading of Lua's frames it cannot trust.
  if (state_matching && !lua_internals_unsound().empty())
    throw std::invalid_argument("explore --reduce: " + lua_internals_unsound() +
                                "; explore without --reduce (it then prunes nothing, and loses nothing)");
  std::string compiled = precompiled(file, source);
  bool bytecode = compiled != source;
  auto scenario = std::make_shared<const Scenario>(Scenario{std::move(file), std::move(compiled), bytecode});
  return [scenario, state_matching, limits]() -> std::unique_ptr<ScenarioRunner> {
    return std::make_unique<LuaRunner>(scenario, state_matching, limits);
  };
}

}  // namespace vmmsim::lua
