// lua_explore.cpp: a Lua scenario as the explorer's ScenarioRunner (explore.hpp).
#include <cerrno>
#include <cstring>

#include "lua_scenario.hpp"

namespace vmmsim::lua {

namespace {

class LuaRunner final : public ScenarioRunner {
 public:
  LuaRunner(const std::string& file, const std::string& source) : file_(file), source_(source) {}

  ScheduleRun run(Chooser& chooser) override {
    LuaRunOptions options;
    options.file = file_;
    options.source = &source_;
    options.chooser = &chooser;
    LuaRunResult r = run_lua_scenario(options);
    return {r.outcome, std::move(r.message), r.end_ms};
  }

 private:
  const std::string& file_;
  const std::string& source_;
};

}  // namespace

vmmsim::RunnerFactory explore_runner(std::string file, std::string source) {
  auto shared = std::make_shared<std::pair<std::string, std::string>>(std::move(file), std::move(source));
  return [shared]() -> std::unique_ptr<ScenarioRunner> {
    return std::make_unique<LuaRunner>(shared->first, shared->second);
  };
}

}  // namespace vmmsim::lua
