// emulated_vxd.hpp: an i386 VxD image running under Unicorn inside a run (issue 20): the image in its
// flat space, the handles it has been given, and the engines it runs on. The VMM calls a VxD on the
// thread that is current, and a service a VxD calls may block that thread (a fiber switch in the
// middle of emulation), which keeps that entry's engine inside uc_emu_start until the thread comes
// back. So every entry takes an engine no entry is using, all mapping the one flat space, each with
// its own stack: a thread blocked in the driver holds one, a callback entered while an entry is inside
// a service (a nested entry) takes another. Engines are kept for the next entry (about 2.9 MB
// resident each, measured), so a run needs as many as entries are ever in progress at once.
//
// Entries, as the VMM makes them: call() a function the scenario calls (C convention, the result in
// EAX), control() the Device Control Procedure (DDK "Control procedure": EAX = message, EBX = VM,
// EDI = thread; carry set = failure), and the callbacks services are given (DDK "Call_Priority_VM_Event"
// and the event services: EBX = VM, EDI = thread, EDX = reference data, EBP = client registers, carry
// set = timed out; DDK "Call_When_Idle": carry clear = the idle time was used). A fault in emulated
// code, a service number vmmsim does not implement, or a register entry that returns breaking the
// VMM's convention (emu/return_checks.hpp: EBP, ESP, the segment registers, DF, IF) ends the run with
// an error naming the driver, the entry, the address and its symbol.
//
// Limits (set_limits, from the scenario's --max-steps): code that runs more than max_steps blocks
// (engine.hpp, Budget) without calling a VMM service is a runaway: the run ends as time_limit, as
// a Lua loop past --max-steps ends it, with a message starting "runaway:" naming the driver, the entry
// and the address; the interrupt flag (Ctrl-C) stops emulated code the same way, as an error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emu/conventions.hpp"
#include "emu/elf32_image.hpp"
#include "emu/engine.hpp"
#include "emu/guest_memory.hpp"
#include "emu/handles.hpp"
#include "vmmsim/types.hpp"
#include "vxd/drivers.hpp"

namespace vmmsim::emu {

// DriverStop: what ends an entry from inside a service hook (an unknown service, a bad argument the
// convention cannot express): the entry's caller turns it into the run's error.
struct DriverStop : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class EmulatedVxd final : public ServiceHandler, public detail::EmulatedDriver {
 public:
  // The image at path, loaded (ImageError when it is refused).
  explicit EmulatedVxd(const std::string& path);
  ~EmulatedVxd() override;
  EmulatedVxd(const EmulatedVxd&) = delete;
  EmulatedVxd& operator=(const EmulatedVxd&) = delete;

  const Elf32Image& image() const { return image_; }
  const std::string& name() const override { return image_.device_name; }
  bool exports(const std::string& fname) const override { return image_.find(fname).has_value(); }
  std::uint32_t guest_vm(VMHANDLE vm) override;
  std::uint32_t guest_thread(THREADHANDLE t) override;
  // set_limits: when no entry is in progress; engines made with other limits are dropped.
  void set_limits(std::uint64_t max_steps, const std::atomic<bool>* interrupt) override;
  // reusable: no entry is in progress (none was left inside its engine when the run ended).
  bool reusable() const;
  // reset: as if loaded afresh from the file for another run (the flat space as the file makes it,
  // no handles given), keeping the engines and what they translated unless the driver changed its own
  // code; false when not reusable (image_pool.hpp).
  bool reset();

  // The entries (from a thread of the running machine; control() also at the end of the run). A
  // fault or a driver bug in call() or a callback ends the run (vxd::end_run_with_crash); control()
  // hands it back to Drivers, which reports it as it reports a shared object's crash.
  std::uint32_t call(const std::string& fname, std::span<const std::uint32_t> args) override;
  Reply control(std::uint32_t message, VMHANDLE vm, THREADHANDLE thread) override;
  EventCallback event_callback(std::uint32_t address, const char* service);
  IdleCallback idle_callback(std::uint32_t address);

  // For the conventions.
  HandleMap& handles() { return handles_; }
  GuestMemory& memory() { return memory_; }
  std::string guest_string(std::uint32_t address, const char* service) const;
  // where: "0x00401234 (ReadByte+0x12)", or the address alone outside any symbol.
  std::string where(std::uint32_t address) const;
  std::size_t engine_count() const;
  void service(const ServiceCall& call, Regs& r) override;

 private:
  struct Slot {
    const char* name = nullptr;
    Convention adaptor = nullptr;
  };
  // Ran: how an entry ended: regs when it returned, else error (crashed: a fault or a driver bug,
  // not a service that stopped it).
  struct Ran {
    Regs regs;
    std::string error;
    bool crashed = false;
    bool runaway = false;  // the budget stopped it (error says so): the run ends as time_limit
  };
  Engine& acquire();
  // run: one entry on an idle engine of this thread; what names it in errors ("drv.call(\"X\")").
  // check_frame: the DDK's register entries must come back with EBP and ESP as they were.
  Ran run(std::uint32_t address, Regs in, std::span<const std::uint32_t> stack, const std::string& what,
          bool check_frame);
  Regs run_or_end(std::uint32_t address, Regs in, std::span<const std::uint32_t> stack, const std::string& what,
                  bool check_frame);
  void enter_callback(std::uint32_t address, const char* service, const EventContext& e, Regs& out);

  Elf32Image image_;
  GuestMemory memory_;
  HandleMap handles_;
  std::vector<Slot> vmm_slots_;                           // the VMM's services by ordinal
  std::map<std::uint32_t, Slot> other_slots_;             // other devices' services by id
  std::vector<std::unique_ptr<Engine>> engines_;
  Budget budget_;
};

// install_emulated_loader: Drivers::load (vmm.load_vxd, Machine::load_vxd) loads ELF32 files as
// EmulatedVxd from now on.
void install_emulated_loader();

}  // namespace vmmsim::emu
