// serial_driver.cpp: a VxD-style serial port driver written against vmmsim's C++ API, no Lua.
//
// It shows the seeds' patterns as a VxD author writes them: the receive interrupt queues a
// restricted event (seed 001) rather than doing work at interrupt time; the event runs where the
// critical section is free or ours (PEF_Wait_Crit); the reader thread waits with the seed 002 flag
// and re-check loop, so neither a completion that comes first nor a spurious wake-up breaks it.
// Expected: exit 0, with the log of every step on stdout.
#include <vmmsim/vmmsim.hpp>

#include <fmt/format.h>

#include <deque>

using namespace vmmsim;

namespace {

struct PrintLog : LogSink {
  void record(const LogRecord& r) override { fmt::print("{:.3f} {} {}\n", r.t_ms, r.thread, r.text); }
};

// The driver's state, as a VxD would keep it in locked data.
struct SerialPort {
  std::deque<char> fifo;          // bytes received by the interrupt handler
  std::string line;               // what the reader assembles
  bool data_pending = false;      // seed 002: "a user maintained flag"
  BlockId rx_id = 0x80002000;     // "the 32-bit linear address of something related"
};

SerialPort port;

// Runs at event time, where the critical section is free or owned by this thread.
void deliver(const EventContext& e) {
  Begin_Critical_Section(0);  // cannot block: PEF_Wait_Crit guaranteed it
  log(fmt::format("deliver on {}: {} byte(s)", thread_name(e.thread), port.fifo.size()));
  while (!port.fifo.empty()) {
    port.line.push_back(port.fifo.front());
    port.fifo.pop_front();
  }
  port.data_pending = false;
  End_Critical_Section();
  _SignalID(port.rx_id);
}

// Runs at interrupt time: only event services and _SignalID are allowed here.
void receive_interrupt(char byte) {
  port.fifo.push_back(byte);
  Call_Restricted_Event(Low_Pri_Device_Boost, nullptr, PEF_Wait_Crit, 0, deliver);
}

}  // namespace

int main() {
  PrintLog printer;
  Machine machine;
  machine.set_log(&printer);

  machine.create_thread("reader", [] {
    port.data_pending = true;  // set before the first _BlockOnID (seed 002)
    while (port.data_pending) _BlockOnID(port.rx_id, Block_Svc_Ints);
    log(fmt::format("reader got \"{}\"", port.line));
  });
  machine.create_thread("app", [] {
    Begin_Critical_Section(0);  // holds the section across the first byte
    ring3(3);
    End_Critical_Section();
    ring3(10);
  });
  machine.at(1.0, [] { receive_interrupt('O'); });
  machine.at(1.5, [] { receive_interrupt('K'); });
  machine.at(2.0, [] { _SignalID(port.rx_id); });  // an unrelated driver: a spurious wake-up

  RunResult result = machine.run();
  fmt::print("{} at {:.3f} ms\n{}", outcome_name(result.outcome), result.end_ms, result.message);
  return exit_code(result.outcome);
}
