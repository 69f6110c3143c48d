// scaling_bench.cpp: a whole scenario (scenario.hpp) with E = 1,000 ... 1,000,000 events, set-up and
// teardown included. Time must grow linearly in E: the summary fits a slope (ns per event) and
// compares the time per event at 1,000,000 with that at 1,000.
#include "scenario.hpp"
#include "timing.hpp"

namespace vmmsim::bench {
namespace {

void scenario(benchmark::State& state) {
  for (auto _ : state) vmmsim_scenario(state.range(0));
  state.counters["events"] = static_cast<double>(state.range(0));
}

BENCHMARK(scenario)
    ->Name("scenario/events")
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly();

}  // namespace
}  // namespace vmmsim::bench
