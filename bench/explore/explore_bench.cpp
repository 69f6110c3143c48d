// explore_bench.cpp: schedules per second of `vmmsim explore` (issue 3 item 7), for Lua scenarios
// and for the same scenarios written against the C++ API. Each benchmark explores with the random
// strategy, which never exhausts a space, so every iteration runs exactly kBudget schedules; the
// counter schedules_per_s is per second of CPU time of this (single) thread.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "lua_scenario.hpp"
#include "vmmsim/explore.hpp"
#include "vmmsim/vmmsim.hpp"

namespace {

using namespace vmmsim;

constexpr std::uint64_t kBudget = 500;

ExploreOptions random_options() {
  ExploreOptions o;
  o.strategy = Strategy::random;
  o.schedules = kBudget;
  o.seed = 1;
  return o;
}

void run_exploration(benchmark::State& state, const RunnerFactory& runners, const ExploreOptions& o) {
  std::uint64_t schedules = 0;
  for (auto _ : state) {
    ExploreResult r = explore(runners, o);
    if (r.failure) {
      state.SkipWithError("the scenario failed under exploration");
      return;
    }
    schedules += r.schedules;
  }
  state.counters["schedules_per_s"] = benchmark::Counter(static_cast<double>(schedules), benchmark::Counter::kIsRate);
}

void BM_LuaExample(benchmark::State& state, const std::string& file) {
  std::string source, why;
  if (!lua::read_scenario_file(file, source, why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  run_exploration(state, lua::explore_runner(file, source), random_options());
}

// The fixed examples, in C++: each is the Lua file of the same name, statement for statement.
Scenario resume_exec_fixed() {
  return [](Machine& m) {
    auto done = std::make_shared<bool>(false);
    auto released = std::make_shared<bool>(false);
    THREADHANDLE b = m.create_thread("B", [released] {
      while (!*released) _BlockOnID(0xB, Block_Svc_Ints);
    }, 0x100);
    m.create_thread("A", [b, done, released] {
      Call_Restricted_Event(Low_Pri_Device_Boost, b, PEF_Thread_Event | PEF_Always_Sched, 0,
                            [done](const EventContext&) { *done = true; });
      Begin_Nest_Exec();
      while (!*done) Resume_Exec();
      End_Nest_Exec();
      *released = true;
      _SignalID(0xB);
    }, 0x100);
  };
}

Scenario spurious_wakeup_fixed() {
  return [](Machine& m) {
    auto serial = std::make_shared<bool>(false);
    auto key = std::make_shared<bool>(false);
    m.create_thread("serial", [serial] {
      while (!*serial) _BlockOnID(0x80001000, 0);
    });
    m.create_thread("keyboard", [key] {
      while (!*key) _BlockOnID(0x80001000, 0);
    });
    m.at(1, [key] { *key = true; _SignalID(0x80001000); });
    m.at(5, [serial] { *serial = true; _SignalID(0x80001000); });
  };
}

void BM_CxxExample(benchmark::State& state, Scenario (*make)()) {
  run_exploration(state, runner_for(make()), random_options());
}

void BM_LuaExampleAllFreedoms(benchmark::State& state, const std::string& file) {
  std::string source, why;
  if (!lua::read_scenario_file(file, source, why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  ExploreOptions o = random_options();
  o.space.event_order_any = true;
  o.space.spurious_wakeups = true;
  o.space.jitter_us = 2000;
  run_exploration(state, lua::explore_runner(file, source), o);
}

void register_all() {
  const char* fixed[] = {"resume_exec_fixed", "chasing_crit_fixed", "lost_wakeup_fixed", "spurious_wakeup_fixed",
                         "wait_not_crit_boost_fixed", "priority_event_timeout_fixed", "time_critical_boost_fixed"};
  for (const char* name : fixed) {
    std::string file = std::string(VMMSIM_SOURCE_DIR) + "/examples/" + name + ".lua";
    benchmark::RegisterBenchmark((std::string("explorer/lua/") + name).c_str(), BM_LuaExample, file)
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* name : {"resume_exec_fixed", "spurious_wakeup_fixed"}) {
    std::string file = std::string(VMMSIM_SOURCE_DIR) + "/examples/" + name + ".lua";
    benchmark::RegisterBenchmark((std::string("explorer/lua_all_freedoms/") + name).c_str(), BM_LuaExampleAllFreedoms,
                                 file)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("explorer/cxx/resume_exec_fixed", BM_CxxExample, &resume_exec_fixed)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("explorer/cxx/spurious_wakeup_fixed", BM_CxxExample, &spurious_wakeup_fixed)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
