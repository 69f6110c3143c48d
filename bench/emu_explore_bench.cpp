// emu_explore_bench.cpp: issue 20 item 5's third target: `vmmsim explore` on an emulated driver
// within 10x of the same driver through the C interface. The scenario is examples/vxd/disk_fixed.lua
// (the VToolsD-form disk driver, fixed: every order finishes), explored with the random strategy over
// --event-order any, --spurious-wakeups and --jitter 2 (a space no budget exhausts), once with
// VMMSIM_VXD_DIR naming the shared objects (libdisk_fixed.so through vmmsim/vxd.h) and once naming
// the i386 images built from the same source (examples/vxd/i386): same scenario, same schedules.
// schedules_per_s is per second of CPU time; the summary table gives the ratio.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "lua_scenario.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::bench {
namespace {

constexpr std::uint64_t kSchedules = 200;

void emu_explore(benchmark::State& state, const char* driver_dir) {
  // The scenario reads the directory with os.getenv when each schedule's run loads the driver.
  setenv("VMMSIM_VXD_DIR", driver_dir, 1);
  std::string file = std::string(VMMSIM_BENCH_EXAMPLES) + "/vxd/disk_fixed.lua", source, why;
  if (!lua::read_scenario_file(file, source, why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  RunnerFactory runners = lua::explore_runner(file, source);
  ExploreOptions o;
  o.strategy = Strategy::random;
  o.schedules = kSchedules;
  o.seed = 1;
  o.space.event_order_any = true;
  o.space.spurious_wakeups = true;
  o.space.jitter_us = 2000;
  std::uint64_t schedules = 0;
  for (auto _ : state) {
    ExploreResult r = explore(runners, o);
    if (r.failure) {
      state.SkipWithError("disk_fixed.lua failed under exploration");
      return;
    }
    schedules += r.schedules;
  }
  state.counters["schedules_per_s"] = benchmark::Counter(static_cast<double>(schedules), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(emu_explore, c_interface, VMMSIM_BENCH_VXD_DIR)->Name("emu/explore_c_interface")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emu_explore, emulated, VMMSIM_BENCH_VXD_DIR "/i386")->Name("emu/explore_emulated")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vmmsim::bench
