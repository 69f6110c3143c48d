// shrink.hpp: the fewest non-default choices that still fail the same way.
#pragma once

#include "explorer/trace.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::explorer {

struct Shrunk {
  Schedule schedule;
  ScheduleRun run;
  std::uint64_t runs = 0;  // scenario runs it took
};

// shrink: drops non-default choices one at a time (the latest first) while the run still fails with
// the same failure_signature, until no single one can go: the result is 1-minimal. Each kept
// candidate is re-recorded from its own run, so positions the tree no longer has are dropped too.
// Then each remaining option is lowered as far as it still fails the same way.
Shrunk shrink(ScenarioRunner& runner, const Schedule& failing, const ScheduleRun& failed);

}  // namespace vmmsim::explorer
