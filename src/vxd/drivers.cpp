// drivers.cpp: loading VxDs built as shared objects, and their control messages.
#include "vxd/drivers.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "core/kernel.hpp"
#include "vmmsim/vxd.h"
#include "vxd/crash_guard.hpp"
#include "vxd/service_table.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>

namespace vmmsim::vxd {
const void* vtoolsd_linked();  // vtoolsd_services.cpp
}  // namespace vmmsim::vxd

namespace vmmsim::detail {

namespace {
// A shared object is loaded once per process, so its C globals are shared by every Machine that
// loads it: two at once (explore --jobs N) would race on them. A machine that loads a driver
// another machine holds waits until that one is destroyed, so runs that share a driver take turns
// and the result does not depend on the number of jobs. The paths in use, per process.
std::mutex g_in_use_mutex;
std::condition_variable g_released;
std::map<std::string, int>& in_use() {
  static std::map<std::string, int> paths;
  return paths;
}

std::atomic<EmulatedLoader> g_emulated_loader{nullptr};

// is_elf32: the file starts with the ELF magic and class 1 (ELFCLASS32): an i386 VxD image.
bool is_elf32(const std::string& path) {
  std::array<char, 5> head{};
  std::ifstream in(path, std::ios::binary);
  return in.read(head.data(), head.size()) && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' &&
         head[3] == 'F' && head[4] == 1;
}
}  // namespace

void set_emulated_loader(EmulatedLoader loader) { g_emulated_loader.store(loader); }

const char* control_message_name(std::uint32_t message) {
  switch (message) {
    case ::Sys_Critical_Init: return "Sys_Critical_Init";
    case ::Device_Init: return "Device_Init";
    case ::Init_Complete: return "Init_Complete";
    case ::Sys_VM_Init: return "Sys_VM_Init";
    case ::Sys_VM_Terminate: return "Sys_VM_Terminate";
    case ::System_Exit: return "System_Exit";
    case ::Sys_Critical_Exit: return "Sys_Critical_Exit";
    case ::Create_VM: return "Create_VM";
    case ::VM_Critical_Init: return "VM_Critical_Init";
    case ::VM_Init: return "VM_Init";
    case ::VM_Terminate: return "VM_Terminate";
    case ::VM_Not_Executeable: return "VM_Not_Executeable";
    case ::Destroy_VM: return "Destroy_VM";
    case ::Create_Thread: return "Create_Thread";
    case ::Thread_Init: return "Thread_Init";
    case ::Terminate_Thread: return "Terminate_Thread";
    case ::Thread_Not_Executeable: return "Thread_Not_Executeable";
    case ::Destroy_Thread: return "Destroy_Thread";
  }
  return "?";
}

Drivers::~Drivers() {
  std::lock_guard lock(g_in_use_mutex);
  for (Loaded& d : loaded_) {
    if (d.emulated != nullptr) continue;  // its own memory: nothing shared between machines
    if (d.handle != nullptr) dlclose(d.handle);
    if (--in_use()[d.path] == 0) in_use().erase(d.path);
  }
  g_released.notify_all();
}

std::size_t Drivers::load(const std::string& path) {
  const char* service = "Machine::load_vxd";
  // The driver's imports resolve against the program's own exports: the C services (vxd.h), which
  // the table names, so they are linked in with it.
  static_cast<void>(vxd::services());
  static_cast<void>(vxd::vtoolsd_linked());
  if (k_.running() || k_.ending()) throw ServiceError(service, "drivers are loaded at set-up time, before the run");
  for (const Loaded& d : loaded_)
    if (d.path == path) throw ServiceError(service, fmt::format("{} is loaded already", path));
  if (is_elf32(path)) return load_emulated(path);
  std::unique_lock lock(g_in_use_mutex);
  g_released.wait(lock, [&] { return in_use().count(path) == 0; });
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) throw ServiceError(service, fmt::format("cannot load {}: {}", path, dlerror()));
  const auto* ddb = static_cast<const VMMSIM_DDB*>(dlsym(handle, "vmmsim_ddb"));
  if (ddb == nullptr || ddb->control == nullptr) {
    dlclose(handle);
    throw ServiceError(service, fmt::format("{} declares no driver (no VMMSIM_DECLARE_VXD(name, control_proc))", path));
  }
  Loaded d;
  d.path = path;
  d.name = ddb->name != nullptr ? ddb->name : path;
  d.handle = handle;
  d.ddb = ddb;
  if (Dl_info info{}; dladdr(ddb, &info) != 0) d.base = info.dli_fbase;
  loaded_.push_back(std::move(d));
  ++in_use()[path];
  return loaded_.size() - 1;
}

std::size_t Drivers::load_emulated(const std::string& path) {
  const char* service = "Machine::load_vxd";
  EmulatedLoader loader = g_emulated_loader.load();
  if (loader == nullptr)
    throw ServiceError(service, fmt::format("{} is an ELF32 (i386) image, which needs the emulator: this program "
                                            "does not link it",
                                            path));
  Loaded d;
  d.path = path;
  try {
    d.emulated = loader(path);
  } catch (const std::exception& e) {
    throw ServiceError(service, e.what());  // the loader names the file and what is wrong with it
  }
  d.name = d.emulated->name();
  loaded_.push_back(std::move(d));
  return loaded_.size() - 1;
}

void* Drivers::symbol(std::size_t driver, const std::string& name) const {
  if (loaded_[driver].emulated != nullptr) return nullptr;
  return dlsym(loaded_[driver].handle, name.c_str());
}

void Drivers::send(std::uint32_t message, VM* vm, Thread* t) {
  for (Loaded& d : loaded_) {
    if (d.failed_init) continue;
    k_.emit("vxd_control", fmt::format("{} to {}{}", control_message_name(message), d.name,
                                       t != nullptr ? fmt::format(" (thread {})", t->name)
                                       : vm != nullptr ? fmt::format(" (VM {})", vm->name)
                                                       : std::string()));
    receiving_ = &d;
    ::DWORD result = 0;
    std::string crash;
    bool crashed = true;
    bool runaway = false;
    if (d.emulated != nullptr) {
      // An i386 image: the emulator enters its DDB_Control_Proc with the DDK's registers.
      EmulatedDriver::Reply reply = d.emulated->control(message, vm, t);
      result = reply.failed ? 1 : 0;
      crash = std::move(reply.error);
      crashed = reply.crashed;
      runaway = reply.runaway;
    } else {
      const auto* ddb = static_cast<const VMMSIM_DDB*>(d.ddb);
      crash = vxd::call_driver_code([&] {
        result = ddb->control(message, reinterpret_cast<::VMHANDLE>(vm), reinterpret_cast<::THREADHANDLE>(t));
      });
      crashed = crash.find(" called after the last thread") == std::string::npos;
    }
    receiving_ = nullptr;
    if (!crash.empty()) {
      // A crash (or a service refused at the end of the run) in the control procedure: the run
      // ends with it; the C frames were left by the recovery point (vxd/crash_guard.hpp).
      std::string what = runaway ? fmt::format("{} (its {} control message)", crash, control_message_name(message))
                                 : fmt::format("{} {} in its {} control message: {}", d.name,
                                               crashed ? "crashed" : "was stopped", control_message_name(message),
                                               crash);
      d.failed_init = true;  // it gets no more messages
      if (exiting_) {
        k_.fail_after_run(std::move(what));
        continue;
      }
      k_.fail_run(std::move(what), runaway ? Outcome::time_limit : Outcome::error);
      throw ThreadKilled{};
    }
    if (result == 0) continue;
    bool init = message == ::Sys_Critical_Init || message == ::Device_Init || message == ::Init_Complete;
    k_.emit("warning", fmt::format("warning: {} failed {} (carry set){}", d.name, control_message_name(message),
                                   init ? "; the VMM unloads a driver that fails its initialisation: it gets no "
                                          "more messages"
                                        : ""));
    if (init) d.failed_init = true;
  }
}

void Drivers::on_run_end(bool finished) {
  if (!any()) return;
  exiting_ = true;
  if (finished) send(::Sys_VM_Terminate, k_.sys_vm(), nullptr);
  send(::System_Exit, k_.sys_vm(), nullptr);
  send(::Sys_Critical_Exit, k_.sys_vm(), nullptr);
  exiting_ = false;
}

std::string Drivers::driver_at(const void* address) const {
  Dl_info info{};
  if (dladdr(address, &info) == 0) return "";
  for (const Loaded& d : loaded_)
    if (d.base != nullptr && d.base == info.dli_fbase) return d.name;
  return "";
}

void Drivers::register_state(const void* state, std::uint32_t size) {
  const char* service = "vmmsim_vxd_state";
  if (receiving_ == nullptr)
    throw ServiceError(service, "call it from the driver's control procedure (Sys_Critical_Init or Device_Init)");
  if (state == nullptr || size == 0)
    throw ServiceError(service, fmt::format("{} named no state ({} bytes at {})", receiving_->name, size, state));
  receiving_->state.emplace_back(state, size);
}

std::string Drivers::without_state() const {
  for (const Loaded& d : loaded_)
    if (d.state.empty()) return fmt::format("{} ({})", d.name, d.path);
  return "";
}

void Drivers::write_state(StateHasher& h) const {
  h.u64(loaded_.size());
  for (const Loaded& d : loaded_) {
    h.u64(d.state.size());
    for (const auto& [p, n] : d.state) {
      h.u64(n);
      h.bytes(p, n);
    }
  }
}

void Drivers::send_vm_created(VM* vm) {
  send(::Create_VM, vm, nullptr);
  send(::VM_Critical_Init, vm, nullptr);
  send(::VM_Init, vm, nullptr);
}

void Drivers::on_run_start() {
  if (!any()) return;
  for (std::uint32_t m : {::Sys_Critical_Init, ::Device_Init, ::Init_Complete}) send(m, nullptr, nullptr);
  send(::Sys_VM_Init, k_.sys_vm(), nullptr);
  for (const auto& vm : k_.vms())
    if (!vm->system) send_vm_created(vm.get());
  for (const auto& t : k_.threads())
    if (!t->idle) send(::Create_Thread, t->vm, t.get());
}

void Drivers::on_thread_created(Thread* t) {
  if (!any()) return;
  if (!t->vm->system) send_vm_created(t->vm);
  send(::Create_Thread, t->vm, t);
}

void Drivers::on_thread_start(Thread* t) {
  if (any()) send(::Thread_Init, t->vm, t);
}

void Drivers::on_thread_end(Thread* t) {
  if (!any()) return;
  for (std::uint32_t m : {::Terminate_Thread, ::Thread_Not_Executeable, ::Destroy_Thread}) send(m, t->vm, t);
  if (!t->vm->system)
    for (std::uint32_t m : {::VM_Terminate, ::VM_Not_Executeable, ::Destroy_VM}) send(m, t->vm, nullptr);
}

}  // namespace vmmsim::detail
