// threads.hpp: many simulated threads, each created, run until it blocks, then all woken by one
// _SignalID and run to their end; with the resident memory and page tables they add, measured
// while every thread is alive and blocked. Shared by threads_memory_bench.cpp and count_main.cpp.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

#include <vmmsim/vmmsim.hpp>

namespace vmmsim::bench {

struct Census {
  double seconds = 0;           // create, run and tear down every thread
  double blocked_at = 0;        // seconds until every thread had run and blocked
  double finished_at = 0;       // seconds until every thread had finished (run() returned)
  double resident_kib = 0;      // resident memory the threads added, per thread
  double page_table_kib = 0;    // page tables they added (not part of resident memory), per thread
};

// resident_kib: this process's resident set (second field of /proc/self/statm, in pages).
inline double resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1024.0;
}

// page_table_kib: VmPTE of /proc/self/status.
inline double page_table_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double kib = 0;
  while (status >> key) {
    if (key == "VmPTE:") {
      status >> kib;
      return kib;
    }
    status.ignore(1 << 20, '\n');
  }
  return 0;
}

inline Census run_threads(std::int64_t count) {
  constexpr BlockId all = 0x80003000;
  auto start = std::chrono::steady_clock::now();
  double rss0 = resident_kib(), pte0 = page_table_kib();
  Census census;
  {
    Config config;
    config.starve_ms = 1e9;  // a million threads in creation order: the last waits long, by design
    Machine machine(config);
    for (std::int64_t i = 0; i < count; ++i) machine.create_thread("", [] { _BlockOnID(all, 0); });
    // Created last at the same priority, it runs when every other thread has run and blocked.
    machine.create_thread("census", [&] {
      census.blocked_at = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      census.resident_kib = (resident_kib() - rss0) / static_cast<double>(count);
      census.page_table_kib = (page_table_kib() - pte0) / static_cast<double>(count);
      _SignalID(all);
    });
    RunResult result = machine.run();
    if (result.outcome != Outcome::finished) throw std::runtime_error(result.message);
    census.finished_at = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  census.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return census;
}

}  // namespace vmmsim::bench
