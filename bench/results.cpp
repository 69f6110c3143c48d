#include "results.hpp"

namespace vmmsim::bench {

void Results::add(const benchmark::BenchmarkReporter::Run& run) {
  bool repeated = run.repetitions > 1;
  if (repeated && !(run.run_type == benchmark::BenchmarkReporter::Run::RT_Aggregate &&
                    run.aggregate_name == "median") && !run.error_occurred)
    return;
  std::string name = run.run_name.function_name;
  if (!run.run_name.args.empty()) name += "/" + run.run_name.args;
  Measurement m;
  if (run.error_occurred) {
    m.error = run.error_message.empty() ? std::string("failed") : run.error_message;
  } else {
    // Wall-clock time for benchmarks registered with UseRealTime or UseManualTime, CPU time for the
    // rest (timing.hpp); both come in the run's unit, and the multiplier converts seconds to it.
    bool wall = !run.run_name.time_type.empty();
    m.ns = (wall ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime()) * 1e9 /
           benchmark::GetTimeUnitMultiplier(run.time_unit);
    m.wall_clock = wall;
    for (const auto& [key, counter] : run.counters) m.counters[key] = counter.value;
  }
  by_name_[name] = m;
}

std::optional<Measurement> Results::find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

void CollectingReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) results_.add(run);
  ConsoleReporter::ReportRuns(runs);
}

}  // namespace vmmsim::bench
