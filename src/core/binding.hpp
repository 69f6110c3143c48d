// binding.hpp: the seam for language bindings (the Lua binding in src/lua), kept out of the public
// headers: what a binding needs from a machine that a C++ driver never does.
#pragma once

#include <string>

#include "vmmsim/machine.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {
class EmulatedDriver;
}  // namespace vmmsim::detail

namespace vmmsim::binding {

// set_user_state: the binding's part of state fingerprints (vmmsim/state_hash.hpp); nullptr: the
// state is never fingerprinted.
void set_user_state(Machine& machine, UserState* user);

// set_user_data / user_data: a slot per thread for the binding's own state (its lua_State).
void set_user_data(THREADHANDLE thread, void* data);
void* user_data(THREADHANDLE thread);

// abandon_current_thread: for bindings to languages that unwind with longjmp (Lua). When a service
// throws ThreadKilled through such a binding, the binding leaves its catch block and calls this:
// the fiber is dropped without unwinding its remaining frames. Never returns.
[[noreturn]] void abandon_current_thread();

// end_run: the run ends with outcome and message (a binding's own limit was reached, e.g.
// src/lua/lua_limits.hpp): recorded now, and the run stops when the calling thread next reaches
// the simulator (the error the binding raises unwinds it like any failed callback).
void end_run(Machine& machine, Outcome outcome, std::string message);

// driver_without_state: "NAME (path)" of a loaded driver that named no state for state matching
// (VMMSIM_VXD_STATE, vmmsim/vxd.h), or "": its C globals cannot be fingerprinted.
std::string driver_without_state(const Machine& machine);
// emulated_vxd: the loaded driver as an emulated i386 image (vxd/drivers.hpp), or nullptr when it is
// a shared object.
detail::EmulatedDriver* emulated_vxd(const Machine& machine, std::size_t driver);

}  // namespace vmmsim::binding
