// vmmsim/types.hpp: the handles and values a driver sees: threads, VMs, events, callbacks, errors.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vmmsim/constants.hpp"

namespace vmmsim {

struct Thread;  // a simulated thread (THREADHANDLE in the DDK)
struct VM;      // a simulated virtual machine (VMHANDLE in the DDK)

using THREADHANDLE = Thread*;
using VMHANDLE = VM*;

// EVENTHANDLE: what the event services return (0 when the callback already ran). It carries a
// generation so that a handle whose event already ran or was cancelled is recognised as stale.
using EVENTHANDLE = std::uint64_t;
// TIMEOUTHANDLE: what Set_Global_Time_Out returns.
using TIMEOUTHANDLE = std::uint64_t;
// SEMHANDLE: what Create_Semaphore returns.
using SEMHANDLE = std::uint64_t;
// MUTEXHANDLE: what _CreateMutex returns.
using MUTEXHANDLE = std::uint64_t;
// RefData: the EDX value passed back to a callback.
using RefData = std::uintptr_t;
// BlockId: the value given to _BlockOnID / _SignalID (a 32-bit linear address in the DDK).
using BlockId = std::uint64_t;

// EventTarget: the Handle argument of Call_Restricted_Event: 0 (global), a VM, or a thread.
struct EventTarget {
  VMHANDLE vm = nullptr;
  THREADHANDLE thread = nullptr;
  int invalid = 0;  // a non-zero integer was given: the service reports it
  EventTarget() = default;
  EventTarget(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): reads like "mov ebx, 0"
  EventTarget(int zero) : invalid(zero) {}  // NOLINT: only 0 is valid; the service rejects others
  EventTarget(VMHANDLE v) : vm(v) {}          // NOLINT
  EventTarget(THREADHANDLE t) : thread(t) {}  // NOLINT
};

// EventContext: what a callback receives (the DDK's EBX, EDI, EDX and carry flag).
struct EventContext {
  VMHANDLE vm = nullptr;          // EBX: the current VM
  THREADHANDLE thread = nullptr;  // EDI: the current thread
  RefData refdata = 0;            // EDX
  bool timed_out = false;         // the carry flag: the event's time-out expired first
  EVENTHANDLE handle = 0;         // the handle the scheduling service returned (0 if called at once)
};

using EventCallback = std::function<void(const EventContext&)>;
using Body = std::function<void()>;
using InterruptHandler = std::function<void()>;
// IdleCallback: a Call_When_Idle callback; true means it used the idle time (the DDK's carry flag
// clear), which ends the chain for this idle period.
using IdleCallback = std::function<bool(const EventContext&)>;

// ServiceError: a VMM service was misused. what() starts with the service's name, e.g.
// "Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI".
// A binding that spells the service differently (the Lua binding's "vmm.create_thread" for
// Machine::create_thread) re-prefixes detail() with its own name.
class ServiceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ServiceError(std::string_view service, std::string_view detail)
      : std::runtime_error(std::string(service) + ": " + std::string(detail)),
        service_(service),
        detail_(detail) {}
  // service / detail: the two halves of what(), when it was thrown with them (else service is "").
  const std::string& service() const { return service_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string service_;
  std::string detail_;
};

// CritSectionStatus: what Get_Crit_Section_Status returns (DDK: EBX, ECX, CF).
struct CritSectionStatus {
  VM* owner = nullptr;     // the owning VM, or the current VM when claims is 0
  int claims = 0;
  bool high_priority = false;  // the carry flag: the current priority >= Critical_Section_Boost
};

// kMaxDurationMs: the longest duration any service accepts, about 31 years: far beyond any run,
// far inside the clock's 64-bit count of microseconds.
inline constexpr double kMaxDurationMs = 1e12;

// ScenarioError: the scenario itself failed (an error in a body, callback or handler). It ends the
// run with outcome error; it is never caught by the simulated code.
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ThreadKilled: thrown into a simulated thread's fiber when the run is over, so its C++ frames
// unwind. Deliberately not a std::exception: driver code's catch (std::exception&) must not stop it.
struct ThreadKilled {};

}  // namespace vmmsim
