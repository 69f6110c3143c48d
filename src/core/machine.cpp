// machine.cpp: the public Machine facade over the Kernel.
#include "vmmsim/machine.hpp"

#include "core/binding.hpp"
#include "core/kernel.hpp"

namespace vmmsim {

using detail::Kernel;

Machine::Machine(Config config) : kernel_(std::make_unique<Kernel>(config)) { kernel_->machine = this; }
Machine::~Machine() = default;

void Machine::configure(const Config& config) { kernel_->configure(config); }
const Config& Machine::config() const { return kernel_->config(); }
VMHANDLE Machine::sys_vm() const { return kernel_->sys_vm(); }

THREADHANDLE Machine::create_thread(std::string name, Body body, Priority priority) {
  return kernel_->create_thread(std::move(name), std::move(body), priority, kernel_->sys_vm(),
                                CpuMode::protected_mode);
}

VMHANDLE Machine::create_vm(std::string name, Body body, Priority priority, CpuMode mode) {
  return kernel_->create_vm(std::move(name), std::move(body), priority, mode);
}

SEMHANDLE Machine::create_semaphore(std::int64_t count) { return kernel_->semaphores().create(count); }
MUTEXHANDLE Machine::create_mutex(Priority boost, Flags flags) { return kernel_->mutexes().create(boost, flags); }

std::size_t Machine::load_vxd(const std::string& path) { return kernel_->drivers().load(path); }
const std::string& Machine::vxd_name(std::size_t driver) const { return kernel_->drivers().name(driver); }
void* Machine::vxd_symbol(std::size_t driver, const std::string& name) const {
  return kernel_->drivers().symbol(driver, name);
}

void Machine::at(double ms, InterruptHandler handler) { kernel_->add_interrupt(ms, 0, 1, std::move(handler)); }
void Machine::every(double ms, InterruptHandler handler, std::int64_t count) {
  if (!(ms > 0)) throw ServiceError("Machine::every", "period must be a positive number of milliseconds");
  kernel_->add_interrupt(ms, ms, count, std::move(handler));
}

void Machine::set_log(LogSink* sink) { kernel_->set_log(sink); }
void Machine::set_interrupt(const std::atomic<bool>* flag) { kernel_->set_interrupt(flag); }

void Machine::set_chooser(Chooser* chooser) { kernel_->set_chooser(chooser); }
RunResult Machine::run() { return kernel_->run(); }
double Machine::now_ms() const { return static_cast<double>(kernel_->now_us()) / 1000.0; }


int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::finished: return 0;
    case Outcome::error: return 1;
    case Outcome::stuck: return 3;
    case Outcome::starved: return 4;
    case Outcome::time_limit: return 5;
  }
  return 1;
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::finished: return "finished";
    case Outcome::error: return "error";
    case Outcome::stuck: return "stuck";
    case Outcome::starved: return "starved";
    case Outcome::time_limit: return "time_limit";
  }
  return "?";
}

std::string_view thread_name(THREADHANDLE thread) { return thread->name; }
Priority thread_priority(THREADHANDLE thread) { return detail::Scheduler::priority(thread); }
VMHANDLE thread_vm(THREADHANDLE thread) { return thread->vm; }
bool thread_finished(THREADHANDLE thread) { return thread->finished(); }
std::string_view vm_name(VMHANDLE vm) { return vm->name; }
Priority vm_priority(VMHANDLE vm) { return vm->boost(); }
THREADHANDLE vm_thread(VMHANDLE vm) { return vm->system ? nullptr : vm->thread; }
bool is_sys_vm(VMHANDLE vm) { return vm->system; }
std::uint32_t thread_index(THREADHANDLE thread) { return thread->id; }
std::uint32_t vm_index(VMHANDLE vm) { return vm->id; }

Machine* current_machine() {
  Kernel* k = detail::current_kernel();
  return k ? k->machine : nullptr;
}


std::string_view choice_kind_name(ChoiceKind kind) {
  switch (kind) {
    case ChoiceKind::thread_tie: return "thread_tie";
    case ChoiceKind::event_order: return "event_order";
    case ChoiceKind::simultaneous: return "simultaneous";
    case ChoiceKind::spurious_wakeup: return "spurious_wakeup";
    case ChoiceKind::jitter: return "jitter";
  }
  return "?";
}

}  // namespace vmmsim

namespace vmmsim::detail {
struct MachineAccess {
  static Kernel& kernel(Machine& m) { return *m.kernel_; }
  static const Kernel& kernel(const Machine& m) { return *m.kernel_; }
};
}  // namespace vmmsim::detail

namespace vmmsim::binding {

void set_user_state(Machine& machine, UserState* user) { detail::MachineAccess::kernel(machine).set_user_state(user); }
void set_user_data(THREADHANDLE thread, void* data) { thread->user = data; }
void* user_data(THREADHANDLE thread) { return thread->user; }

void end_run(Machine& machine, Outcome outcome, std::string message) {
  detail::MachineAccess::kernel(machine).fail_run(std::move(message), outcome);
}

std::string driver_without_state(const Machine& machine) {
  return detail::MachineAccess::kernel(machine).drivers().without_state();
}

detail::EmulatedDriver* emulated_vxd(const Machine& machine, std::size_t driver) {
  return detail::MachineAccess::kernel(machine).drivers().emulated(driver);
}

void abandon_current_thread() {
  detail::Kernel* k = detail::current_kernel();
  if (k == nullptr) std::abort();
  k->abandon_current();
}

}  // namespace vmmsim::binding
