// shrink.cpp: greedy one-at-a-time removal (delta debugging's last stage, ddmin at granularity n).
#include "explorer/shrink.hpp"

#include <map>
#include <vector>

namespace vmmsim::explorer {

namespace {

struct Attempt {
  bool same = false;
  Schedule schedule;
  ScheduleRun run;
};

Attempt try_schedule(ScenarioRunner& runner, const Schedule& candidate, const std::string& signature) {
  PrefixChooser chooser(candidate.space, prefix_of(candidate));
  Attempt a;
  a.run = runner.run(chooser);
  a.same = failure_signature(a.run.outcome, a.run.message) == signature;
  a.schedule = chooser.trace().schedule(candidate.space);
  return a;
}

}  // namespace

Shrunk shrink(ScenarioRunner& runner, const Schedule& failing, const ScheduleRun& failed) {
  const std::string signature = failure_signature(failed.outcome, failed.message);
  Shrunk best{failing, failed, 0};
  bool changed = true;
  while (changed) {
    changed = false;
    std::vector<std::uint64_t> points;
    for (const auto& [point, option] : best.schedule.picks) points.push_back(point);
    for (auto it = points.rbegin(); it != points.rend() && !changed; ++it) {
      Schedule candidate = best.schedule;
      candidate.picks.erase(*it);
      Attempt a = try_schedule(runner, candidate, signature);
      ++best.runs;
      if (a.same && a.schedule.picks.size() < best.schedule.picks.size()) {
        best.schedule = std::move(a.schedule);
        best.run = std::move(a.run);
        changed = true;
      }
    }
  }
  // Lower options: option 1 is the first alternative to the default, the simplest to read.
  const std::map<std::uint64_t, std::uint32_t> picks = best.schedule.picks;  // best changes below
  for (const auto& [point, option] : picks) {
    for (std::uint32_t lower = 1; lower < option; ++lower) {
      Schedule candidate = best.schedule;
      candidate.picks[point] = lower;
      Attempt a = try_schedule(runner, candidate, signature);
      ++best.runs;
      if (a.same && a.schedule.picks.size() <= best.schedule.picks.size()) {
        best.schedule = std::move(a.schedule);
        best.run = std::move(a.run);
        break;
      }
    }
  }
  return best;
}

}  // namespace vmmsim::explorer
