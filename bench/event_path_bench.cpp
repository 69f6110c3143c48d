// event_path_bench.cpp: queue + process one restricted event at the next processing point, against
// Boost.Asio's io_context and a std::deque of std::function (event_path.hpp).
#include "event_path.hpp"
#include "timing.hpp"

namespace vmmsim::bench {
namespace {

void vmmsim_event(benchmark::State& state) { benchmark::DoNotOptimize(vmmsim_event_path(keep_running(state))); }
void asio_event(benchmark::State& state) { benchmark::DoNotOptimize(asio_event_path(keep_running(state))); }
void deque_event(benchmark::State& state) { benchmark::DoNotOptimize(deque_event_path(keep_running(state))); }

BENCHMARK(vmmsim_event)->Name("event_path/vmmsim")->Apply(micro);
BENCHMARK(asio_event)->Name("event_path/asio")->Apply(micro);
BENCHMARK(deque_event)->Name("event_path/deque")->Apply(micro);

}  // namespace
}  // namespace vmmsim::bench
