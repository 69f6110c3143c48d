// emulated_vxd.cpp: the entries and the service dispatch of emulated_vxd.hpp.
#include "emu/emulated_vxd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/kernel.hpp"
#include "emu/image_pool.hpp"
#include "emu/return_checks.hpp"
#include "vxd/crash_guard.hpp"
#include "vxd/service_table.hpp"

namespace vmmsim::emu {

namespace {

constexpr std::uint32_t kClientRegDwords = 18;       // DDK Client_Reg_Struc: 72 bytes
constexpr std::uint32_t kClientEFlagsDword = 11;     // Client_EFlags at offset 0x2C
constexpr std::uint16_t kMaxVmmOrdinal = 0x200;

std::uint32_t id_of(std::uint16_t device, std::uint16_t ordinal) { return std::uint32_t{device} << 16 | ordinal; }

}  // namespace

EmulatedVxd::EmulatedVxd(const std::string& path)
    : image_(load_elf32_file(path, GuestMemory::image_window())), vmm_slots_(kMaxVmmOrdinal) {
  memory_.place(image_);
  // The dispatch table: the service table's entries (the same table the C interface exports),
  // each with its register convention.
  for (const vxd::ServiceEntry& e : vxd::services()) {
    Slot s{e.name.data(), convention(e.name)};
    if (s.adaptor == nullptr) throw std::logic_error(fmt::format("no register convention for {}", e.name));
    if (e.device == vxd::kVmmDeviceId && e.ordinal < kMaxVmmOrdinal)
      vmm_slots_[e.ordinal] = s;
    else
      other_slots_[id_of(e.device, e.ordinal)] = s;
  }
}

EmulatedVxd::~EmulatedVxd() = default;

std::size_t EmulatedVxd::engine_count() const { return engines_.size(); }

void EmulatedVxd::set_limits(std::uint64_t max_steps, const std::atomic<bool>* interrupt) {
  if (budget_.max_blocks == max_steps && budget_.interrupt == interrupt) return;
  if (!reusable()) throw std::logic_error("EmulatedVxd::set_limits: an entry is in progress");
  engines_.clear();  // each engine has its budget's hook (or none) from its making
  budget_.max_blocks = max_steps;
  budget_.interrupt = interrupt;
}

bool EmulatedVxd::reusable() const {
  return std::none_of(engines_.begin(), engines_.end(), [](const auto& e) { return e->busy(); });
}

bool EmulatedVxd::reset() {
  if (!reusable()) return false;
  // Code the driver rewrote was translated as rewritten: restoring the file's bytes from here, which
  // Unicorn does not see, would leave those translations stale, so such a driver gets new engines.
  for (const auto& [begin, end] : image_.code)
    if (!memory_.same_bytes(begin, image_.bytes.data() + (begin - image_.base), end - begin)) {
      engines_.clear();
      break;
    }
  memory_.clear();
  memory_.place(image_);
  handles_ = HandleMap{};
  return true;
}

std::string EmulatedVxd::where(std::uint32_t address) const {
  std::string symbol = image_.symbolize(address);
  return symbol.empty() ? fmt::format("0x{:08x}", address) : fmt::format("0x{:08x} ({})", address, symbol);
}

std::string EmulatedVxd::guest_string(std::uint32_t address, const char* service) const {
  std::string s;
  if (!memory_.read_string(address, s))
    throw ServiceError(service, fmt::format("the string at 0x{:08x} is not a NUL-terminated string in the "
                                            "driver's memory (4096 bytes at most)",
                                            address));
  return s;
}

void EmulatedVxd::service(const ServiceCall& call, Regs& r) {
  const Slot* s = nullptr;
  if (call.device == vxd::kVmmDeviceId && call.ordinal < kMaxVmmOrdinal) {
    s = &vmm_slots_[call.ordinal];
  } else if (auto it = other_slots_.find(id_of(call.device, call.ordinal)); it != other_slots_.end()) {
    s = &it->second;
  }
  if (s == nullptr || s->adaptor == nullptr)
    throw DriverStop(fmt::format("INT 20h at {} calls device 0x{:04x} service 0x{:04x}{}, which vmmsim does not "
                                 "implement",
                                 where(call.at), call.device, call.ordinal, call.jump ? " (VMMJmp)" : ""));
  if (detail::Kernel* k = detail::current_kernel(); k != nullptr && k->drivers().exiting()) {
    // The end-of-run control messages may log (no other service runs then), as in vmmsim/vxd.h.
    if (std::string_view(s->name) == "vmmsim_log") {
      CallContext c{*this, r, s->name};
      k->emit("log", guest_string(c.arg(0), s->name));
      return;
    }
    throw DriverStop(fmt::format("{} called after the last thread ended: no VMM service runs at the end-of-run "
                                 "control messages",
                                 s->name));
  }
  CallContext c{*this, r, s->name};
  s->adaptor(c);
}

Engine& EmulatedVxd::acquire() {
  // The first idle engine, so that which engine (and so which stack address) an entry gets depends
  // only on the entries in progress: the same in every run of a schedule, whether the engines are
  // new or kept from an earlier run (image_pool.hpp).
  for (const auto& e : engines_)
    if (!e->busy()) return *e;
  engines_.push_back(std::make_unique<Engine>(memory_, *this, budget_));
  return *engines_.back();
}

EmulatedVxd::Ran EmulatedVxd::run(std::uint32_t address, Regs in, std::span<const std::uint32_t> stack,
                                  const std::string& what, bool check_frame) {
  Engine& engine = acquire();
  Ran ran;
  Exit exit;
  try {
    exit = engine.enter(address, in, stack);
  } catch (const DriverStop& stop) {
    ran.error = fmt::format("{} stopped in {}: {}", name(), what, stop.what());
    return ran;
  }
  ran.regs = exit.regs;
  if (exit.runaway) {
    ran.runaway = true;
    ran.error = fmt::format(
        "runaway: {} ran more than {} blocks of i386 code without calling a VMM service, in {} at {} (--max-steps "
        "{}; is it a loop that never ends? 0 turns the limit off)",
        name(), budget_.max_blocks, what, where(exit.stopped_at), budget_.max_blocks);
    return ran;
  }
  if (exit.interrupted) {
    ran.error = fmt::format("interrupted while {} ran i386 code in {} at {}", name(), what, where(exit.stopped_at));
    return ran;
  }
  ran.crashed = true;
  if (!exit.returned) {
    // The fault text names the address; add its symbol when it has one.
    std::string symbol = image_.symbolize(exit.regs.eip);
    ran.error = fmt::format("{} crashed in {}: {}{}", name(), what, exit.fault,
                            symbol.empty() ? "" : fmt::format(" in {}", symbol));
    return ran;
  }
  if (check_frame) {
    // The entry pushed the return address at stack_top - 4 (stack dwords above it): a balanced
    // return leaves ESP just past it.
    std::uint32_t sp = engine.stack_top() - static_cast<std::uint32_t>(4 * stack.size());
    std::string broke = return_violation(in, exit, sp);
    if (!broke.empty())
      ran.error = fmt::format("{} broke the VMM's calling convention in {}: the code at {} {}", name(), what,
                              where(address), broke);
  }
  return ran;
}

Regs EmulatedVxd::run_or_end(std::uint32_t address, Regs in, std::span<const std::uint32_t> stack,
                             const std::string& what, bool check_frame) {
  Ran ran = run(address, in, stack, what, check_frame);
  if (ran.runaway) {
    if (detail::Kernel* k = detail::current_kernel(); k != nullptr) k->fail_run(ran.error, Outcome::time_limit);
    throw ThreadKilled{};
  }
  if (!ran.error.empty()) vxd::end_run_with_crash(std::move(ran.error));
  return ran.regs;
}

std::uint32_t EmulatedVxd::call(const std::string& fname, std::span<const std::uint32_t> args) {
  auto address = image_.find(fname);
  if (!address) throw ServiceError(fmt::format("vxd {}", fname), fmt::format("the driver exports no function '{}'", fname));
  return run_or_end(*address, Regs{}, args, fmt::format("drv.call(\"{}\")", fname), false).eax;
}

std::uint32_t EmulatedVxd::guest_vm(VMHANDLE vm) {
  return handles_.guest(HandleKind::vm, reinterpret_cast<std::uintptr_t>(vm));
}

std::uint32_t EmulatedVxd::guest_thread(THREADHANDLE t) {
  return handles_.guest(HandleKind::thread, reinterpret_cast<std::uintptr_t>(t));
}

detail::EmulatedDriver::Reply EmulatedVxd::control(std::uint32_t message, VMHANDLE vm, THREADHANDLE thread) {
  Regs in;
  in.eax = message;
  in.ebx = guest_vm(vm);
  in.edi = guest_thread(thread);
  Reply reply;
  Ran ran;
  try {
    ran = run(image_.control_proc, in, {}, fmt::format("its control procedure (message 0x{:x})", message), true);
  } catch (const ServiceError& e) {
    reply.error = e.what();  // a misused service: the procedure is stopped, as a C driver's is
    return reply;
  }
  // Drivers words the error itself ("NAME crashed in its Device_Init control message: ...").
  std::string prefix = fmt::format("{} {} in its control procedure (message 0x{:x}): ", name(),
                                   ran.crashed ? "crashed" : "stopped", message);
  if (ran.error.starts_with(prefix)) ran.error.erase(0, prefix.size());
  if (ran.runaway) {
    // Drivers ends the run as time_limit with the message as it is.
    reply.runaway = true;
    reply.error = std::move(ran.error);
    return reply;
  }
  reply.error = std::move(ran.error);
  reply.crashed = ran.crashed;
  reply.failed = ran.regs.carry();
  return reply;
}

void EmulatedVxd::enter_callback(std::uint32_t address, const char* service, const EventContext& e, Regs& out) {
  Regs in;
  in.ebx = handles_.guest(HandleKind::vm, reinterpret_cast<std::uintptr_t>(e.vm));
  in.edi = handles_.guest(HandleKind::thread, reinterpret_cast<std::uintptr_t>(e.thread));
  in.edx = static_cast<std::uint32_t>(e.refdata);
  in.set_carry(e.timed_out);
  // The client registers sit on the callback's stack, above its return address; EBP points at them.
  std::array<std::uint32_t, kClientRegDwords> client{};
  client[kClientEFlagsDword] = e.timed_out ? Regs::kCarry : 0;
  Engine& probe = acquire();  // the engine run() will take: its stack holds the client registers
  in.ebp = probe.stack_top() - 4 * kClientRegDwords;
  out = run_or_end(address, in, client, fmt::format("its {} callback at {}", service, where(address)), true);
}

EventCallback EmulatedVxd::event_callback(std::uint32_t address, const char* service) {
  if (address == 0) return nullptr;
  return [this, address, service](const EventContext& e) {
    Regs out;
    enter_callback(address, service, e, out);
  };
}

IdleCallback EmulatedVxd::idle_callback(std::uint32_t address) {
  if (address == 0) return nullptr;
  return [this, address](const EventContext& e) {
    Regs out;
    enter_callback(address, "Call_When_Idle", e, out);
    return !out.carry();  // DDK "Call_When_Idle": carry clear = the idle time was used
  };
}

void install_emulated_loader() { detail::set_emulated_loader(lease_emulated_vxd); }

// The conversions of conventions.hpp.
std::uint32_t CallContext::arg(int i) const {
  std::uint32_t v = 0;
  if (!vxd.memory().read32(r.esp + 4 * static_cast<std::uint32_t>(i), v))
    throw ServiceError(service, fmt::format("argument {} at ESP+{} (0x{:08x}) is outside the driver's memory", i + 1,
                                            4 * i, r.esp + 4 * static_cast<std::uint32_t>(i)));
  return v;
}

std::uint64_t CallContext::handle(HandleKind kind, std::uint32_t value) const {
  std::uint64_t host = 0;
  std::string why;
  if (!vxd.handles().host(kind, value, host, why)) throw ServiceError(service, why);
  return host;
}

VMHANDLE CallContext::vm(std::uint32_t value) const {
  return reinterpret_cast<VMHANDLE>(static_cast<std::uintptr_t>(handle(HandleKind::vm, value)));
}

THREADHANDLE CallContext::thread(std::uint32_t value) const {
  return reinterpret_cast<THREADHANDLE>(static_cast<std::uintptr_t>(handle(HandleKind::thread, value)));
}

std::uint32_t CallContext::guest(HandleKind kind, std::uint64_t host) const { return vxd.handles().guest(kind, host); }

EventCallback CallContext::callback(std::uint32_t address) const {
  if (address != 0 && !vxd.image().in_code(address))
    throw ServiceError(service, fmt::format("the callback 0x{:08x} is not in the driver's code", address));
  return vxd.event_callback(address, service);
}

IdleCallback CallContext::idle_callback(std::uint32_t address) const {
  if (address != 0 && !vxd.image().in_code(address))
    throw ServiceError(service, fmt::format("the callback 0x{:08x} is not in the driver's code", address));
  return vxd.idle_callback(address);
}

}  // namespace vmmsim::emu
