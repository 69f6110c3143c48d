// round_trip.hpp: a _BlockOnID/_SignalID round trip between two simulated threads and its
// baselines (a raw Boost.Context switch pair; two OS threads with a mutex and condition variables),
// as plain workloads shared by round_trip_bench.cpp, scheduling_bench.cpp and count_main.cpp.
#pragma once

#include <boost/context/fiber.hpp>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include <vmmsim/vmmsim.hpp>

namespace vmmsim::bench {

inline constexpr BlockId kPing = 0x80001000;
inline constexpr BlockId kPong = 0x80001004;
inline constexpr Priority kPairPriority = 0x100;

// vmmsim_round_trips: "caller" signals kPing and blocks on kPong; "echo", woken, signals kPong and
// blocks on kPing again. One round trip = two blocks, two signals, two scheduling decisions, two
// fiber switches. background: that many threads of a lower priority, eligible the whole time, so
// every decision chooses among background + 1 eligible threads (scheduling_bench.cpp). The run ends
// at its 1 ms time limit (the caller enters ring 3 for 2 ms at the end), so the background threads
// never start: a starve time far beyond the limit keeps their wait from counting as starvation.
template <class KeepGoing>
void vmmsim_round_trips(KeepGoing keep_going, std::int64_t background = 0) {
  Config config;
  config.max_time_ms = 1;
  config.starve_ms = 1e9;
  Machine machine(config);
  for (std::int64_t i = 0; i < background; ++i) machine.create_thread("", [] {}, 0);
  // Created before the caller at the same priority, echo runs first (creation order) and blocks.
  machine.create_thread("echo", [] {
    for (;;) {
      _BlockOnID(kPing, 0);
      _SignalID(kPong);
    }
  }, kPairPriority);
  machine.create_thread("caller", [&] {
    while (keep_going()) {
      _SignalID(kPing);
      _BlockOnID(kPong, 0);
    }
    ring3(2);
  }, kPairPriority);
  RunResult result = machine.run();
  if (result.outcome != Outcome::time_limit) throw std::runtime_error("round trip: " + result.message);
}

// context_round_trips: the raw Boost.Context floor: resume a fiber that resumes us straight back.
template <class KeepGoing>
void context_round_trips(KeepGoing keep_going) {
  namespace ctx = boost::context;
  ctx::fiber echo{[](ctx::fiber&& caller) {
    for (;;) caller = std::move(caller).resume();
    return std::move(caller);
  }};
  while (keep_going()) echo = std::move(echo).resume();
}  // destroying echo unwinds it (Boost.Context's forced_unwind)

// os_thread_round_trips: the same hand-off between two OS threads, each waiting on its own
// condition variable under one mutex.
template <class KeepGoing>
void os_thread_round_trips(KeepGoing keep_going) {
  std::mutex mutex;
  std::condition_variable ping, pong;
  enum class Turn { caller, echo, stop } turn = Turn::caller;
  std::thread echo([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      ping.wait(lock, [&] { return turn != Turn::caller; });
      if (turn == Turn::stop) return;
      turn = Turn::caller;
      pong.notify_one();
    }
  });
  while (keep_going()) {
    std::unique_lock lock(mutex);
    turn = Turn::echo;
    ping.notify_one();
    pong.wait(lock, [&] { return turn == Turn::caller; });
  }
  {
    std::lock_guard lock(mutex);
    turn = Turn::stop;
  }
  ping.notify_one();
  echo.join();
}

}  // namespace vmmsim::bench
