// emu_service_bench.cpp: issue 20 item 5: an emulated VxD's VMM service trapped at INT 20h
// (Get_System_Time in a loop of the image's spin_services: the INT 20h hook, the register batch, the
// service and back; target <= 200 ns), and an entry into emulated code from the simulator (the test
// image's add3 through EmulatedVxd::call: uc_emu_start on the thread's engine and back, which is the
// path a callback takes; target <= 1 us). The trapped service is measured twice: without a budget,
// as the C++ API loads an image, and with the budget a scenario gives it (--max-steps' default: the
// block hook of emu/engine.hpp runs at every translated block).
#include <benchmark/benchmark.h>

#include "emu/emulated_vxd.hpp"
#include "lua_scenario.hpp"
#include "vmmsim/machine.hpp"

namespace vmmsim::bench {
namespace {

// in_run: body inside a thread of a running machine (the services need one).
template <class F>
void in_run(benchmark::State& state, F body, std::uint64_t max_steps = 0) {
  emu::EmulatedVxd vxd(VMMSIM_BENCH_I386_IMAGE);
  vxd.set_limits(max_steps, nullptr);
  Machine m;
  m.create_thread("bench", [&] { body(vxd); });
  RunResult r = m.run();
  if (r.outcome != Outcome::finished) state.SkipWithError(r.message.c_str());
}

void emu_trapped_service(benchmark::State& state, std::uint64_t max_steps) {
  constexpr std::uint32_t kCalls = 1000;
  in_run(
      state,
      [&](emu::EmulatedVxd& vxd) {
        std::uint32_t n[] = {kCalls};
        for (auto _ : state) benchmark::DoNotOptimize(vxd.call("spin_services", n));
      },
      max_steps);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kCalls);
  state.counters["ns_per_service"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCalls,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void emu_entry(benchmark::State& state) {
  in_run(state, [&](emu::EmulatedVxd& vxd) {
    std::uint32_t a[] = {1, 2, 3};
    for (auto _ : state) benchmark::DoNotOptimize(vxd.call("add3", a));
  });
}

BENCHMARK_CAPTURE(emu_trapped_service, no_budget, 0)->Name("emu/trapped_service_x1000")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(emu_trapped_service, budget, lua::LuaLimits{}.max_steps)
    ->Name("emu/trapped_service_x1000_budget")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(emu_entry)->Name("emu/entry_call")->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace vmmsim::bench
