// timing.hpp: how the benchmarks are timed. The machine this runs on is shared and noisy, so every
// figure is the median of several repetitions, in CPU time of the benchmarking thread: on a loaded
// machine wall-clock time also counts the time other processes hold the CPU. Benchmarks whose work
// happens outside that thread (the OS-thread hand-off, a spawned process) add UseRealTime().
#pragma once

#include <benchmark/benchmark.h>

namespace vmmsim::bench {

inline constexpr int kRepetitions = 5;

// micro: a benchmark whose iteration is one short operation (tens of ns to tens of µs).
inline void micro(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kNanosecond)->MinTime(0.2)->Repetitions(kRepetitions)->ReportAggregatesOnly();
}

// keep_running: the workloads' loop condition (event_path.hpp, round_trip.hpp) driven by Google
// Benchmark's state.
inline auto keep_running(benchmark::State& state) {
  return [&state] { return state.KeepRunning(); };
}

}  // namespace vmmsim::bench
