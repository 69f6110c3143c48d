// round_trip_bench.cpp: a _BlockOnID/_SignalID round trip between two simulated threads, against a
// raw Boost.Context switch pair and two OS threads handing off with a mutex and condition variable
// (round_trip.hpp).
#include "round_trip.hpp"
#include "timing.hpp"

namespace vmmsim::bench {
namespace {

void vmmsim_round_trip(benchmark::State& state) { vmmsim_round_trips(keep_running(state)); }
void context_round_trip(benchmark::State& state) { context_round_trips(keep_running(state)); }
void os_thread_round_trip(benchmark::State& state) { os_thread_round_trips(keep_running(state)); }

BENCHMARK(vmmsim_round_trip)->Name("round_trip/vmmsim")->Apply(micro);
BENCHMARK(context_round_trip)->Name("round_trip/boost_context")->Apply(micro);
BENCHMARK(os_thread_round_trip)->Name("round_trip/os_threads")->Apply(micro)->UseRealTime();

}  // namespace
}  // namespace vmmsim::bench
