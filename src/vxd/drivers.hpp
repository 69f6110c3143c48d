// drivers.hpp: VxDs loaded from shared objects (vmm.load_vxd, Machine::load_vxd): their DDBs and
// the control messages the VMM sends them (include/vmmsim/vxd.h lists when).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vmmsim {
struct Thread;
struct VM;
class StateHasher;
}  // namespace vmmsim

namespace vmmsim::detail {

class Kernel;

// EmulatedDriver: a VxD that is an i386 image run by an emulator (src/emu/, issue 20) rather than a
// shared object. The emulator is a layer on libvmmsim (the Lua binding links it and installs its
// loader), so this library needs no emulator of its own.
class EmulatedDriver {
 public:
  virtual ~EmulatedDriver() = default;
  virtual const std::string& name() const = 0;
  // Reply: a control message's result: failed = the carry came back set; error = what stopped the
  // procedure instead (a fault: crashed; a refused or misused service: stopped).
  // runaway: the code ran past its budget (set_limits); error is the whole message.
  struct Reply {
    bool failed = false;
    bool crashed = false;
    bool runaway = false;
    std::string error;
  };
  virtual Reply control(std::uint32_t message, VM* vm, Thread* t) = 0;
  virtual bool exports(const std::string& fname) const = 0;
  // call: enters an exported function (C convention) with 32-bit arguments; the result is EAX.
  virtual std::uint32_t call(const std::string& fname, std::span<const std::uint32_t> args) = 0;
  // guest_vm / guest_thread: the 32-bit handle the driver sees for a VM or thread.
  virtual std::uint32_t guest_vm(VM* vm) = 0;
  virtual std::uint32_t guest_thread(Thread* t) = 0;
  // set_limits: emulated code that runs more than max_steps (0: no limit) without calling a service
  // ends the run as a runaway; interrupt (Ctrl-C) stops it. Before the run.
  virtual void set_limits(std::uint64_t max_steps, const std::atomic<bool>* interrupt) = 0;
};
using EmulatedLoader = std::unique_ptr<EmulatedDriver> (*)(const std::string& path);
// set_emulated_loader: how Drivers::load loads an ELF32 file (nullptr: it refuses them).
void set_emulated_loader(EmulatedLoader loader);

class Drivers {
 public:
  explicit Drivers(Kernel& k) : k_(k) {}
  ~Drivers();
  Drivers(const Drivers&) = delete;
  Drivers& operator=(const Drivers&) = delete;

  // load: dlopen the shared object and find its DDB (VMMSIM_DECLARE_VXD), or, for an ELF32 file,
  // load it into the emulator (set_emulated_loader); at set-up time only.
  std::size_t load(const std::string& path);
  // symbol: an exported function of a loaded driver, or nullptr.
  void* symbol(std::size_t driver, const std::string& name) const;
  const std::string& name(std::size_t driver) const { return loaded_[driver].name; }
  bool any() const { return !loaded_.empty(); }
  // emulated: the emulated driver, or nullptr for a shared object.
  EmulatedDriver* emulated(std::size_t driver) const { return loaded_[driver].emulated.get(); }

  // register_state: VMMSIM_VXD_STATE from the control procedure now running (vmmsim/vxd.h).
  void register_state(const void* state, std::uint32_t size);
  // without_state: "NAME (path)" of the first loaded driver that named no state, or "".
  std::string without_state() const;
  // write_state: the bytes of every driver's named state (core/fingerprint.cpp).
  void write_state(StateHasher& h) const;

  // The moments the VMM sends control messages (core/run.cpp, core/kernel.cpp).
  void on_run_start();                        // in the idle thread, before any other thread runs
  void on_thread_created(Thread* t);          // Create_Thread, in the creator's context (during the run)
  void on_thread_start(Thread* t);            // Thread_Init, in t's context
  void on_thread_end(Thread* t);              // Terminate_Thread ... and for a VM's thread Destroy_VM
  // on_run_end: Sys_VM_Terminate (a run that finished), System_Exit, Sys_Critical_Exit, in the main
  // context after the last thread: a VMM service called then is refused (exiting()).
  void on_run_end(bool finished);
  bool exiting() const { return exiting_; }

  // driver_at: the name of the loaded driver whose code holds address, or "" (crash reports).
  std::string driver_at(const void* address) const;

 private:
  struct Loaded {
    std::string path;
    std::string name;
    void* handle = nullptr;
    const void* ddb = nullptr;  // the driver's VMMSIM_DDB (vmmsim/vxd.h is C: kept out of this header)
    const void* base = nullptr;  // where the shared object is mapped (dladdr), for driver_at
    bool failed_init = false;  // failed Sys_Critical_Init / Device_Init: no more messages
    std::vector<std::pair<const void*, std::uint32_t>> state;  // VMMSIM_VXD_STATE regions
    std::unique_ptr<EmulatedDriver> emulated;  // an i386 image (then handle and ddb are null)
  };
  std::size_t load_emulated(const std::string& path);
  // send: the message to every driver in load order.
  void send(std::uint32_t message, VM* vm, Thread* t);
  void send_vm_created(VM* vm);

  Kernel& k_;
  std::vector<Loaded> loaded_;
  Loaded* receiving_ = nullptr;  // the driver whose control procedure runs now (send)
  bool exiting_ = false;          // on_run_end is sending the end-of-run messages
};

// control_message_name: "Device_Init" for 0x0001, ...
const char* control_message_name(std::uint32_t message);

}  // namespace vmmsim::detail
