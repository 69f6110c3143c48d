// conventions.hpp: how an emulated VxD passes each VMM service its arguments and gets its results
// (issue 20 item 2): the DDK's register conventions, one adaptor per service the service table
// (vxd/service_table.hpp) lists, by its DDK name. Register services read and set the registers the
// service's DDK page names; services whose DDK name starts with '_' use the C convention (arguments
// on the stack at [ESP], [ESP + 4], ..., as the caller pushed them; the result in EAX). The adaptors
// call the C++ services (vmmsim/services.hpp), as the C interface does, with handles translated
// (emu/handles.hpp) and the driver's callbacks entered in emulation (emu/emulated_vxd.hpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "emu/handles.hpp"
#include "emu/registers.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim::emu {

class EmulatedVxd;

// CallContext: one service call: its registers, the driver, and the conversions an adaptor needs;
// each conversion refuses a bad value with a ServiceError naming the service.
struct CallContext {
  EmulatedVxd& vxd;
  Regs& r;
  const char* service;

  std::uint32_t arg(int i) const;  // the C convention's argument i ([ESP + 4 i])
  VMHANDLE vm(std::uint32_t value) const;
  THREADHANDLE thread(std::uint32_t value) const;
  std::uint64_t handle(HandleKind kind, std::uint32_t value) const;
  std::uint32_t guest(HandleKind kind, std::uint64_t host) const;
  std::uint32_t guest_vm(VMHANDLE vm) const { return guest(HandleKind::vm, reinterpret_cast<std::uintptr_t>(vm)); }
  std::uint32_t guest_thread(THREADHANDLE t) const {
    return guest(HandleKind::thread, reinterpret_cast<std::uintptr_t>(t));
  }
  // callback: the driver's callback at address (nullptr for 0: the service reports it).
  EventCallback callback(std::uint32_t address) const;
  IdleCallback idle_callback(std::uint32_t address) const;
};

using Convention = void (*)(CallContext&);

// convention: the adaptor for the service of that DDK name, or nullptr.
Convention convention(std::string_view name);

}  // namespace vmmsim::emu
