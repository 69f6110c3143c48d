// threads_memory_bench.cpp: 100,000 and 1,000,000 simulated threads (threads.hpp): resident memory
// and page tables per thread, and the total time to create, run and tear them down.
//
// Each size runs in a child process: resident memory only shrinks back to the allocator, not to the
// system, so a measurement inside this process would include what earlier benchmarks left behind.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

#include "threads.hpp"
#include "timing.hpp"

namespace vmmsim::bench {
namespace {

void threads(benchmark::State& state) {
  std::int64_t count = state.range(0);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    state.SkipWithError("pipe failed");
    return;
  }
  std::fflush(nullptr);
  pid_t child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    Census census;
    try {
      census = run_threads(count);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "threads/%lld: %s\n", static_cast<long long>(count), e.what());
      _exit(1);
    }
    bool ok = write(pipe_fds[1], &census, sizeof census) == static_cast<ssize_t>(sizeof census);
    _exit(ok ? 0 : 1);
  }
  close(pipe_fds[1]);
  Census census;
  bool got = read(pipe_fds[0], &census, sizeof census) == static_cast<ssize_t>(sizeof census);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  for (auto _ : state) state.SetIterationTime(census.seconds);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    state.SkipWithError("the child process failed (see stderr)");
    return;
  }
  state.counters["KiB_per_thread"] = census.resident_kib;
  state.counters["PTE_KiB_per_thread"] = census.page_table_kib;
  state.counters["us_per_thread"] = census.seconds * 1e6 / static_cast<double>(count);
}

BENCHMARK(threads)
    ->Name("threads/created_and_run")
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vmmsim::bench
