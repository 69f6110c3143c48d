// count_main.cpp: vmmsim_count MODE N: runs N operations of one workload and nothing else, for
// valgrind --tool=callgrind (instruction_counts.cpp, scripts/callgrind-event-path.sh). Running it
// with two values of N and dividing the difference in instructions by the difference in N gives the
// instructions per operation, free of start-up and set-up costs.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "event_path.hpp"
#include "round_trip.hpp"
#include "threads.hpp"

using namespace vmmsim::bench;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: vmmsim_count event|asio|deque|round_trip|context|threads N\n", stderr);
    return 2;
  }
  std::string_view mode = argv[1];
  long long n = std::atoll(argv[2]);
  auto keep_going = [&n] { return n-- > 0; };
  if (mode == "event") vmmsim_event_path(keep_going);
  else if (mode == "asio") asio_event_path(keep_going);
  else if (mode == "deque") deque_event_path(keep_going);
  else if (mode == "round_trip") vmmsim_round_trips(keep_going);
  else if (mode == "context") context_round_trips(keep_going);
  else if (mode == "threads") {
    Census c = run_threads(n);
    std::printf("blocked at %.2f s, finished at %.2f s, torn down at %.2f s; %.2f KiB/thread\n", c.blocked_at,
                c.finished_at, c.seconds, c.resident_kib);
  }
  else {
    std::fprintf(stderr, "vmmsim_count: unknown mode '%s'\n", argv[1]);
    return 2;
  }
  return 0;
}
