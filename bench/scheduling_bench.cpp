// scheduling_bench.cpp: the cost of a scheduling decision as the number of eligible threads grows.
// The decision is measured inside a round trip of two high-priority threads (round_trip.hpp) while N
// lower-priority threads stay eligible: each round trip makes two decisions among N + 1 eligible
// threads (and puts the partner back into the ready queue beside the N). Compared with N = 10.
#include "round_trip.hpp"
#include "timing.hpp"

namespace vmmsim::bench {
namespace {

void decision(benchmark::State& state) {
  vmmsim_round_trips(keep_running(state), state.range(0));
  state.counters["eligible"] = static_cast<double>(state.range(0));
}

BENCHMARK(decision)->Name("scheduling/eligible")->Arg(10)->Arg(1000)->Arg(100000)->Apply(micro);

}  // namespace
}  // namespace vmmsim::bench
