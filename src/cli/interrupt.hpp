// interrupt.hpp: Ctrl-C (SIGINT) and SIGTERM while a command works (issue 11 item 3). While an
// InterruptGuard lives, the first such signal only sets its flag: `explore` stops between schedules
// and reports what it found, `run` ends its run at the next processing point (or within 1,000 Lua
// instructions) and prints the log so far; both exit 130. A second signal kills the process at once,
// as the user insists.
#pragma once

#include <atomic>

namespace vmmsim::command {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  const std::atomic<bool>* flag() const;
  bool interrupted() const { return flag()->load(); }
  const char* signal_name() const;  // "SIGINT" or "SIGTERM" (once interrupted)
};

inline constexpr int kInterruptedExit = 130;  // 128 + SIGINT, as a shell reports it

}  // namespace vmmsim::command
