// cxx_runner.cpp: exploring a scenario written in C++ (explore.hpp's Scenario): a fresh Machine per
// run, set up by the scenario function, then run under the explorer's chooser.
#include <exception>

#include "vmmsim/explore.hpp"

namespace vmmsim {

namespace {

class CxxRunner final : public ScenarioRunner {
 public:
  CxxRunner(Scenario scenario, Config config) : scenario_(std::move(scenario)), config_(config) {}

  ScheduleRun run(Chooser& chooser) override {
    Machine machine(config_);
    machine.set_chooser(&chooser);
    try {
      scenario_(machine);
    } catch (const std::exception& e) {
      return {Outcome::error, std::string("in the scenario's set-up: ") + e.what(), 0, false, {}, {}};
    } catch (...) {
      return {Outcome::error, "in the scenario's set-up: an exception that is not a std::exception", 0, false, {}, {}};
    }
    RunResult r = machine.run();
    return {r.outcome, std::move(r.message), r.end_ms, r.stopped, {}, std::move(r.error_context)};
  }

 private:
  Scenario scenario_;
  Config config_;
};

}  // namespace

RunnerFactory runner_for(Scenario scenario, Config config) {
  return [scenario = std::move(scenario), config]() -> std::unique_ptr<ScenarioRunner> {
    return std::make_unique<CxxRunner>(scenario, config);
  };
}

}  // namespace vmmsim
