// crash_guard.hpp: recovery points around calls into driver code (issue 13 item 6). A driver that
// dereferences NULL must not take vmmsim, its log or the explorer's search with it: a fatal signal
// raised while driver code runs (SIGSEGV, SIGBUS, SIGFPE, SIGILL) returns to the innermost recovery
// point of the simulated thread that was running, which reports it as the run's error.
//
// Why siglongjmp and not "report and _exit": the handler runs on an alternate signal stack
// (sigaltstack, one per OS thread, so a stack overflow is caught too) and jumps back onto the
// fiber that faulted, to a frame of that same fiber (call_driver_code's) that is still live: the
// jump never crosses from one Boost.Context fiber to another, so the fiber's stack stays valid and
// the run ends the way a misuse ends it (the error is the run's outcome, the thread leaves without
// unwinding the C frames, the main context tears the run down). The process goes on, so `vmmsim
// explore` reports the crashing schedule with a token like any other failure. The frames jumped
// over are the driver's C frames and vmmsim's guarded() frames, which own nothing. What is unsound
// about it is only what is unsound about any fault: a driver that corrupted memory before
// crashing has corrupted vmmsim's too.
//
// Each recovery point names the simulated thread (and kernel) it was set on, so a fault on one
// thread never returns to a point set by another thread that is blocked inside driver code.
#pragma once

#include <csetjmp>
#include <string>

namespace vmmsim::vxd {

struct Guard {
  sigjmp_buf env;
  const void* kernel = nullptr;
  const void* thread = nullptr;
  Guard* prev = nullptr;
  Guard* next = nullptr;
  int signal = 0;                 // the fatal signal; 0 when leave_driver() returned here
  const void* address = nullptr;  // the faulting address (si_addr)
};

void enter_guard(Guard& g);
void leave_guard(Guard& g);
std::string what_happened(const Guard& g);

// call_driver_code: runs f() (a call into driver code) under a recovery point. Returns "" when f
// returned, otherwise what stopped it: "SIGSEGV (address 0x0)", or leave_driver's message.
template <class F>
std::string call_driver_code(F&& f) {
  Guard g;
  enter_guard(g);
  if (sigsetjmp(g.env, 1) == 0) {
    f();
    leave_guard(g);
    return {};
  }
  leave_guard(g);
  return what_happened(g);
}

// leave_driver: back to the innermost recovery point of the current thread with message (a service
// refused where no error can be raised into C code). Without one, prints it and aborts.
[[noreturn]] void leave_driver(std::string message);

// end_run_with_crash: the run ends with message as its error; this thread unwinds its C++ frames
// as when a service ends the run (throws ThreadKilled).
[[noreturn]] void end_run_with_crash(std::string message);

// forget_guards: the run of kernel is over and its fibers are gone, with the recovery points on them.
void forget_guards(const void* kernel);

}  // namespace vmmsim::vxd
