// run_guarded.hpp: one schedule's run, with the runner's exception taken as the run's error, so
// none unwinds into the explorer's workers or past the forks of explore --prove.
#pragma once

#include <exception>
#include <string>

#include "vmmsim/explore.hpp"

namespace vmmsim::explorer {

inline ScheduleRun run_guarded(ScenarioRunner& runner, Chooser& chooser) {
  try {
    return runner.run(chooser);
  } catch (const std::exception& e) {
    return {Outcome::error, std::string("the scenario runner failed: ") + e.what(), 0, false, {}, {}};
  } catch (...) {
    return {Outcome::error, "the scenario runner failed with an exception that is not a std::exception", 0, false, {}, {}};
  }
}

}  // namespace vmmsim::explorer
