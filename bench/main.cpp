// main.cpp: vmmsim_bench: runs the Google Benchmark suite (Google Benchmark's flags apply, e.g.
// --benchmark_filter), counts instructions under callgrind, then prints the summary table.
#include <cstdlib>

#include "instruction_counts.hpp"
#include "results.hpp"
#include "summary.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  vmmsim::bench::Results results;
  vmmsim::bench::CollectingReporter reporter(results);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  // VMMSIM_BENCH_NO_CALLGRIND=1 skips the counts (they take about a minute under valgrind).
  vmmsim::bench::InstructionCounts counts;
  if (std::getenv("VMMSIM_BENCH_NO_CALLGRIND") != nullptr)
    counts.error = "skipped (VMMSIM_BENCH_NO_CALLGRIND)";
  else
    counts = vmmsim::bench::count_instructions();
  vmmsim::bench::print_summary(results, counts);
  benchmark::Shutdown();
  return 0;
}
