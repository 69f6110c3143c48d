// scenario.hpp: a whole scenario with E events, the shape of examples/cxx/serial_driver.cpp: a
// periodic receive interrupt queues a PEF_Wait_Crit restricted event; its callback signals the
// reader, which wakes, re-checks and blocks again, while an application thread runs ring-3 code.
// Per event: an interrupt, a queued event processed at the processing point after it, a _SignalID,
// and two switches (to the reader and back).
#pragma once

#include <cstdint>
#include <stdexcept>

#include <vmmsim/vmmsim.hpp>

namespace vmmsim::bench {

inline constexpr double kInterruptPeriodMs = 0.1;

inline void vmmsim_scenario(std::int64_t events) {
  constexpr BlockId rx = 0x80002000;
  double duration_ms = static_cast<double>(events) * kInterruptPeriodMs + 1;
  Config config;
  config.max_time_ms = duration_ms + 1;
  Machine machine(config);
  std::int64_t delivered = 0;
  machine.create_thread("reader", [&] {
    while (delivered < events) _BlockOnID(rx, Block_Svc_Ints);
  }, High_Pri_Device_Boost);
  machine.create_thread("app", [&] { ring3(duration_ms); });
  machine.every(kInterruptPeriodMs, [&] {
    Call_Restricted_Event(Low_Pri_Device_Boost, nullptr, PEF_Wait_Crit, 0, [&](const EventContext&) {
      ++delivered;
      _SignalID(rx);
    });
  }, events);
  RunResult result = machine.run();
  if (result.outcome != Outcome::finished || delivered != events)
    throw std::runtime_error("scenario: " + result.message);
}

}  // namespace vmmsim::bench
