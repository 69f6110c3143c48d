// event_path.hpp: the event path and its baselines as plain workloads, shared by the timed benchmark
// (event_path_bench.cpp) and the instruction counter (count_main.cpp). Each runs one operation per
// call of keep_going() until it returns false.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <stdexcept>
#include <utility>

#include <vmmsim/vmmsim.hpp>

namespace vmmsim::bench {

// The restrictions the benchmark's event carries: they hold (the section is free, the thread is not
// nested), so every processing point checks them and runs the callback.
inline constexpr Flags kEventPathFlags = PEF_Always_Sched | PEF_Wait_Not_Crit | PEF_Wait_Not_Nested_Exec;

// vmmsim_event_path: one driver thread queues a restricted event (PEF_Always_Sched: queued, never
// run at once) and enters ring 3 for 1 µs; that entry is the processing point where the event runs.
// No other thread is eligible, so nothing switches. Virtual time advances by 1 µs per event so the
// zero-time livelock guard (model.md section 3) never trips.
template <class KeepGoing>
std::uint64_t vmmsim_event_path(KeepGoing keep_going) {
  Config config;
  config.max_time_ms = 1e11;  // 10^14 events of 1 µs: no benchmark reaches it
  Machine machine(config);
  std::uint64_t ran = 0;
  machine.create_thread("driver", [&] {
    while (keep_going()) {
      Call_Restricted_Event(0, nullptr, kEventPathFlags, 0, [&ran](const EventContext&) { ++ran; });
      ring3(0.001);
    }
  });
  RunResult result = machine.run();
  if (result.outcome != Outcome::finished) throw std::runtime_error("event path: " + result.message);
  return ran;
}

// asio_event_path: what a user would write with Boost.Asio: post a handler, run it. The work guard
// keeps run_one() from stopping the io_context when its queue empties (no restart() per handler).
template <class KeepGoing>
std::uint64_t asio_event_path(KeepGoing keep_going) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  std::uint64_t ran = 0;
  while (keep_going()) {
    boost::asio::post(io, [&ran] { ++ran; });
    io.run_one();
  }
  return ran;
}

// deque_event_path: the hand-written floor: push a std::function, pop it, call it.
template <class KeepGoing>
std::uint64_t deque_event_path(KeepGoing keep_going) {
  std::deque<std::function<void()>> queue;
  std::uint64_t ran = 0;
  while (keep_going()) {
    queue.emplace_back([&ran] { ++ran; });
    while (!queue.empty()) {
      std::function<void()> handler = std::move(queue.front());
      queue.pop_front();
      handler();
    }
  }
  return ran;
}

}  // namespace vmmsim::bench
