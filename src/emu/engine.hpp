// engine.hpp: one Unicorn engine running i386 code of an emulated VxD in the flat space of
// guest_memory.hpp (issue 20 item 2). A VxD calls the VMM with INT 20h followed by a dword, device_id
// << 16 | service ordinal; bit 15 of the ordinal is the jump form (VMMJmp), which returns to the
// caller's caller. The engine's interrupt hook reads the dword, moves EIP past it (or, for the jump
// form, pops the return address), and hands the call to its ServiceHandler with the registers; the
// handler's registers go back into the CPU and emulation goes on from there.
//
// A handler may switch fibers (a service that blocks): the engine stays inside uc_emu_start on that
// fiber, which is why each simulated thread has engines of its own (emulated_vxd.hpp). An exception
// a handler throws (a misused service, the run ending) never unwinds through Unicorn's frames: the
// hook keeps it, stops the engine and enter() throws it again once uc_emu_start has returned.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "emu/guest_memory.hpp"
#include "emu/registers.hpp"

struct uc_struct;

namespace vmmsim::emu {

struct ServiceCall {
  std::uint16_t device = 0;
  std::uint16_t ordinal = 0;  // without the jump bit
  bool jump = false;          // VMMJmp: the service returns to the caller's caller
  std::uint32_t at = 0;       // the address of the INT 20h instruction
};

class ServiceHandler {
 public:
  virtual ~ServiceHandler() = default;
  // service: answers call with r (inputs in, outputs out); throws to stop the engine.
  virtual void service(const ServiceCall& call, Regs& r) = 0;
};

// Exit: how an entry ended. returned: it came back to the return stub; otherwise fault says why
// (an unmapped access, a CPU exception), at eip.
struct Exit {
  bool returned = false;
  Regs regs;
  std::string fault;
};

class Engine {
 public:
  Engine(GuestMemory& memory, ServiceHandler& handler);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // enter: runs from address with registers in (ESP is the engine's own stack), the dwords of args
  // pushed as a C caller pushes them (args[0] at [ESP + 4]) under a return address to the stub, until
  // the code returns there or faults. Rethrows what a service threw.
  Exit enter(std::uint32_t address, Regs in, std::span<const std::uint32_t> args = {});
  bool busy() const { return busy_; }
  std::uint32_t stack_top() const { return stack_top_; }
  GuestMemory& memory() { return memory_; }

  // What the Unicorn hooks call (engine.cpp): an interrupt or CPU exception, an access to unmapped
  // or protected memory (write: it was a write; fetch: an instruction fetch).
  void interrupt(std::uint32_t number);
  void bad_access(std::uint64_t address, bool write, bool fetch);

 private:
  void stop(std::string fault);
  void read(Regs& r);
  void write(const Regs& r);
  void write_changed(const Regs& before, const Regs& r);

  GuestMemory& memory_;
  ServiceHandler& handler_;
  uc_struct* uc_ = nullptr;
  std::uint32_t stack_top_ = 0;
  bool busy_ = false;
  std::string fault_;
  std::exception_ptr thrown_;
};

}  // namespace vmmsim::emu
