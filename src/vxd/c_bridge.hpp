// c_bridge.hpp: what the C forms of the VMM services (vxd_services.cpp, the DDK-wrapper family;
// vtoolsd_services.cpp, the VToolsD family) share: handle conversions, the client registers a C
// callback receives, and guarded(), which runs a C++ service for C code.
//
// C frames cannot be unwound: a ServiceError (a misuse) or ThreadKilled (the run ending while the
// thread is inside a service) stops in guarded(). A misuse ends the run with the error; either way
// the thread leaves without returning into the C code (binding::abandon_current_thread). A service
// called from an end-of-run control message (System_Exit: no thread runs any more) is refused and
// the control procedure left (vxd/crash_guard.hpp).
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/binding.hpp"
#include "core/kernel.hpp"
#include "vmmsim/services.hpp"
#include "vmmsim/vxd.h"
#include "vxd/crash_guard.hpp"

namespace vmmsim::vxd::bridge {

inline vmmsim::VMHANDLE vm_of(::VMHANDLE h) { return reinterpret_cast<vmmsim::VMHANDLE>(h); }
inline vmmsim::THREADHANDLE thread_of(::THREADHANDLE h) { return reinterpret_cast<vmmsim::THREADHANDLE>(h); }
inline ::VMHANDLE c_vm(vmmsim::VMHANDLE h) { return reinterpret_cast<::VMHANDLE>(h); }
inline ::THREADHANDLE c_thread(vmmsim::THREADHANDLE h) { return reinterpret_cast<::THREADHANDLE>(h); }
inline vmmsim::RefData ref(const void* p) { return reinterpret_cast<vmmsim::RefData>(p); }
inline ::PVOID c_ref(vmmsim::RefData r) { return reinterpret_cast<::PVOID>(r); }

// client_regs: the registers a callback sees: only Client_EFlags's carry (CF_MASK) is kept.
inline ::CLIENT_REG_STRUCT client_regs(const vmmsim::EventContext& e) {
  ::CLIENT_REG_STRUCT crs{};
  crs.Client_EFlags = e.timed_out ? ::CF_MASK : 0;
  return crs;
}

// target_of: Call_Restricted_Event's handle: 0, a VM, or with PEF_Thread_Event a thread.
inline vmmsim::EventTarget target_of(const void* handle, DWORD flags) {
  if (handle == nullptr) return vmmsim::EventTarget();
  void* h = const_cast<void*>(handle);
  if (flags & PEF_Thread_Event) return vmmsim::EventTarget(static_cast<vmmsim::THREADHANDLE>(h));
  return vmmsim::EventTarget(static_cast<vmmsim::VMHANDLE>(h));
}

// run_callback: calls a driver's callback (entry: its address) that service scheduled, from the
// kernel's C++ frames. A crash in it ends the run with an error naming the driver and the service,
// and this thread unwinds its C++ frames as when a service ends the run (ThreadKilled).
template <class F>
void run_callback(const void* entry, const char* service, F&& call) {
  std::string crash = call_driver_code(call);
  if (crash.empty()) return;
  std::string driver = detail::current_kernel()->drivers().driver_at(entry);
  end_run_with_crash(fmt::format("{} crashed in its {} callback: {}", driver.empty() ? "C code" : driver, service,
                                 crash));
}

// c_callback: the EventCallback a service is given for the driver's callback cb (nullptr for none:
// the service reports "a callback is required"): it calls call(cb, e, crs) under run_callback, crs
// being the client registers cb sees. Each calling form only says how its callback is called.
template <class P, class Call>
vmmsim::EventCallback c_callback(P* cb, const char* service, Call call) {
  if (cb == nullptr) return nullptr;
  return [cb, service, call](const vmmsim::EventContext& e) {
    ::CLIENT_REG_STRUCT crs = client_regs(e);
    run_callback(reinterpret_cast<const void*>(cb), service, [&] { call(cb, e, crs); });
  };
}

inline detail::Kernel* running_kernel(const char* service, const char* error) {
  detail::Kernel* k = detail::current_kernel();
  if (k == nullptr || !k->running() || k->current() == nullptr) {
    std::fprintf(stderr, "vmmsim: %s called from C outside a run: %s\n", service, error);
    std::abort();
  }
  return k;
}

// guarded: runs a service for C code (see the file comment). Nothing that owns memory may live in
// this frame when the thread is abandoned: the error is copied into the run's result inside the
// handler, and the thread leaves after it.
template <class F>
auto guarded(const char* service, F&& f) -> decltype(f()) {
  if (detail::Kernel* k = detail::current_kernel(); k != nullptr && k->drivers().exiting())
    leave_driver(fmt::format("{} called after the last thread ended: no VMM service runs at the end-of-run "
                             "control messages",
                             service));
  try {
    return f();
  } catch (const ThreadKilled&) {
    running_kernel(service, "the run ended");
  } catch (const std::exception& e) {
    detail::Kernel* k = running_kernel(service, e.what());
    k->fail_run(fmt::format("{}: {}", k->current()->name, e.what()));
  }
  binding::abandon_current_thread();
}

}  // namespace vmmsim::vxd::bridge
