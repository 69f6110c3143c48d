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
//
// A budget (Budget) bounds the code run between two services: a block hook counts the translated
// blocks the CPU enters (each a run of straight-line code ending at a jump; a loop's every turn enters
// at least one) and stops the engine past max_blocks, as --max-steps stops a Lua loop that never calls
// vmm. Blocks, not instructions: an instruction hook costs every instruction a call out of the
// generated code (measured in bench/emu_service_bench.cpp), a block hook one per jump.
#pragma once

#include <array>
#include <atomic>
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

// Budget: what emulated code may run between two services (or from its entry to its first one).
// max_blocks: 0 for no limit; interrupt: when it becomes true the engine stops soon (Ctrl-C).
struct Budget {
  std::uint64_t max_blocks = 0;
  const std::atomic<bool>* interrupt = nullptr;
  bool any() const { return max_blocks != 0 || interrupt != nullptr; }
};

// Exit: how an entry ended. returned: it came back to the return stub; otherwise fault says why
// (an unmapped access, a CPU exception), at eip.
struct Exit {
  bool returned = false;
  Regs regs;
  std::string fault;
  // The budget stopped it (fault is then empty): runaway, more than max_blocks blocks since the entry
  // or the last service; interrupted, the interrupt flag. stopped_at: the block it was entering.
  bool runaway = false;
  bool interrupted = false;
  std::uint32_t stopped_at = 0;
  // The segment registers as the code left them (CS, DS, ES, SS, FS, GS); every entry starts with the
  // flat selectors (kFlatCode, kFlatData), so any other value is the code's doing.
  std::array<std::uint16_t, 6> segments{};
};

// kSegmentNames: the registers of Exit::segments, in order.
inline constexpr std::array<const char*, 6> kSegmentNames = {"CS", "DS", "ES", "SS", "FS", "GS"};
inline constexpr std::array<std::uint16_t, 6> kFlatSegments = {kFlatCode, kFlatData, kFlatData,
                                                               kFlatData, kFlatData, kFlatData};

class Engine {
 public:
  Engine(GuestMemory& memory, ServiceHandler& handler, Budget budget = {});
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
  // block: the budget's block hook (installed only when the budget has a limit).
  void block(std::uint32_t address) {
    if (++blocks_ >= check_at_) [[unlikely]] over_budget(address);
  }

 private:
  void stop(std::string fault);
  void read(Regs& r);
  void write(const Regs& r);
  void write_changed(const Regs& before, const Regs& r);
  void reset_budget();
  void read_segments(std::array<std::uint16_t, 6>& segments);
  void load_flat_segments();
  void over_budget(std::uint32_t address);

  GuestMemory& memory_;
  ServiceHandler& handler_;
  uc_struct* uc_ = nullptr;
  std::uint32_t stack_top_ = 0;
  bool busy_ = false;
  std::string fault_;
  std::exception_ptr thrown_;
  Budget budget_;
  std::uint64_t blocks_ = 0;     // blocks entered since the entry or the last service
  std::uint64_t check_at_ = 0;   // the count at which over_budget looks (the limit, or the next poll)
  bool runaway_ = false;
  bool interrupted_ = false;
  std::uint32_t stopped_at_ = 0;
};

}  // namespace vmmsim::emu
