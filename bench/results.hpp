// results.hpp: what the benchmarks measured, by name, for the summary table. A reporter that
// forwards every run to Google Benchmark's console output also files it here.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmmsim::bench {

struct Measurement {
  double ns = 0;             // time per iteration (median if repeated); CPU time unless wall_clock
  bool wall_clock = false;
  std::map<std::string, double> counters;   // the benchmark's counters
  std::string error;                        // non-empty: the benchmark failed or was skipped
};

class Results {
 public:
  // add: keeps single runs and the median of repeated ones; the other aggregates are display only.
  void add(const benchmark::BenchmarkReporter::Run& run);
  // find: "event_path/vmmsim", or with an argument "scheduling/eligible/1000"; nullopt if not run.
  std::optional<Measurement> find(const std::string& name) const;

 private:
  std::map<std::string, Measurement> by_name_;
};

// CollectingReporter: the console reporter, filing every run in results as it goes.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  explicit CollectingReporter(Results& results) : results_(results) {}
  void ReportRuns(const std::vector<Run>& runs) override;

 private:
  Results& results_;
};

}  // namespace vmmsim::bench
