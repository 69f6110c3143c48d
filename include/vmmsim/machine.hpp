// vmmsim/machine.hpp: one simulated machine: VMs, threads, interrupts, a virtual clock, and run().
#pragma once

#include <atomic>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vmmsim/chooser.hpp"
#include "vmmsim/log.hpp"
#include "vmmsim/state_hash.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {

namespace detail {
class Kernel;
struct MachineAccess;  // the seam for language bindings (src/core/binding.hpp)
}  // namespace detail

// Config: vmm.config{} of scenario-api.md. Milliseconds; fractions allowed (the clock counts µs).
struct Config {
  double time_slice_ms = 20;   // model.md section 2: equal priorities rotate every time_slice ms
  double starve_ms = 1000;     // model.md section 6: a runnable thread waiting longer is starved
  double max_time_ms = 60000;  // model.md section 6: time limit
};

// Outcome: how a run ended (model.md section 6).
enum class Outcome { finished, error, stuck, starved, time_limit };

// exit_code: the command line's exit code for an outcome (0, 1, 3, 4, 5; 2 is for usage errors).
int exit_code(Outcome outcome);
// outcome_name: "finished", "error", "stuck", "starved" or "time_limit".
std::string_view outcome_name(Outcome outcome);

struct RunResult {
  Outcome outcome = Outcome::finished;
  double end_ms = 0;       // virtual time at the end of the run
  std::string message;     // error: the error; stuck/starved: the diagnosis (first line "stuck:"...)
  // error_context: for an error, where the run was when it happened ("on thread A", "in an
  // interrupt handler, thread A interrupted"); empty otherwise.
  std::string error_context;
  // stopped: the chooser stopped the run at a state it had seen (Chooser::kStop); the outcome means
  // nothing then.
  bool stopped = false;
};

// CpuMode: the mode a VM's thread starts in (DDK: a new VM starts in V86 mode).
enum class CpuMode : std::uint8_t { v86, protected_mode };

// Machine: owns everything simulated. Set it up (create_thread, create_vm, at, every), then run()
// once. While run() executes, the DDK services of vmmsim/services.hpp act on this machine.
class Machine {
 public:
  explicit Machine(Config config = {});
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // configure: replace the configuration; only before run().
  void configure(const Config& config);
  const Config& config() const;

  // sys_vm: the System VM, which always exists and holds the idle thread "sys".
  VMHANDLE sys_vm() const;

  // create_thread: a new thread in the System VM (VMMCreateThread) running body at base priority.
  // Allowed before run() and, from a running thread, during it.
  THREADHANDLE create_thread(std::string name, Body body, Priority priority = 0);
  // create_vm: a new VM with one thread, which bears the VM's name, starting in mode.
  VMHANDLE create_vm(std::string name, Body body, Priority priority = 0, CpuMode mode = CpuMode::v86);

  // create_semaphore: Create_Semaphore before the run (a VxD makes its objects at Device_Init);
  // during the run, call Create_Semaphore.
  SEMHANDLE create_semaphore(std::int64_t count);
  // create_mutex: _CreateMutex before the run.
  MUTEXHANDLE create_mutex(Priority boost, Flags flags);

  // load_vxd: a VxD built as a shared object with VMMSIM_DECLARE_VXD (vmmsim/vxd.h); before the run.
  // Returns the driver's index; vxd_symbol finds one of its exported functions (nullptr if none).
  std::size_t load_vxd(const std::string& path);
  void* vxd_symbol(std::size_t driver, const std::string& name) const;
  const std::string& vxd_name(std::size_t driver) const;  // the name in its DDB

  // at: a hardware interrupt at virtual time ms: handler runs at interrupt time.
  void at(double ms, InterruptHandler handler);
  // every: a periodic interrupt every ms (first at ms), count times (count < 0: forever).
  void every(double ms, InterruptHandler handler, std::int64_t count = -1);

  // set_log: where the human-readable log and the structured trace go (nullptr: nowhere).
  void set_log(LogSink* sink);
  // set_chooser: the chooser for every free choice; nullptr restores the deterministic default.
  void set_chooser(Chooser* chooser);

  // set_interrupt: when *flag becomes true (a signal handler may set it), the run ends at its next
  // processing point as an error "interrupted: ..." (nullptr: never).
  void set_interrupt(const std::atomic<bool>* flag);

  // run: runs the scenario to its end. Only once per Machine.
  RunResult run();

  // now_ms: the virtual clock.
  double now_ms() const;

 private:
  friend struct detail::MachineAccess;
  std::unique_ptr<detail::Kernel> kernel_;
};

// Read-only views of threads and VMs (scenario-api.md: name, priority, vm, thread).
std::string_view thread_name(THREADHANDLE thread);
Priority thread_priority(THREADHANDLE thread);  // base + the thread's boosts + its VM's boosts
VMHANDLE thread_vm(THREADHANDLE thread);
bool thread_finished(THREADHANDLE thread);
std::string_view vm_name(VMHANDLE vm);
Priority vm_priority(VMHANDLE vm);  // the boosts the VM itself holds
THREADHANDLE vm_thread(VMHANDLE vm);  // a non-system VM's one thread; nullptr for the System VM
bool is_sys_vm(VMHANDLE vm);
std::uint32_t thread_index(THREADHANDLE thread);  // creation order: the idle thread is 0
std::uint32_t vm_index(VMHANDLE vm);              // creation order: the System VM is 0

// current_machine: the machine whose run() is executing on this OS thread, or nullptr.
Machine* current_machine();

}  // namespace vmmsim
