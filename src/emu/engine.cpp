// engine.cpp: the Unicorn engine of engine.hpp.
#include "emu/engine.hpp"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace vmmsim::emu {

namespace {

constexpr std::uint32_t kDynalink = 0x20;  // INT 20h (DDK: VMMCall / VxDCall)
constexpr std::uint16_t kJumpBit = 0x8000;  // DDK: VMMJmp sets bit 15 of the service number
// The interrupt flag is polled every kPollBlocks blocks (a relaxed load, as the Lua step hook does).
constexpr std::uint64_t kPollBlocks = 4096;

constexpr std::array<int, 10> kRegIds = {UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX,
                                         UC_X86_REG_ESI, UC_X86_REG_EDI, UC_X86_REG_EBP, UC_X86_REG_ESP,
                                         UC_X86_REG_EIP, UC_X86_REG_EFLAGS};

const char* exception_name(std::uint32_t n) {
  switch (n) {
    case 0: return "#DE divide error";
    case 1: return "#DB debug";
    case 3: return "#BP breakpoint (INT 3)";
    case 4: return "#OF overflow";
    case 5: return "#BR bound range";
    case 6: return "#UD invalid opcode";
    case 13: return "#GP general protection";
    case 14: return "#PF page fault";
  }
  return "a software interrupt";
}

void check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) throw std::runtime_error(fmt::format("Unicorn: {}: {}", what, uc_strerror(e)));
}

void hook_interrupt(uc_engine*, std::uint32_t number, void* self) { static_cast<Engine*>(self)->interrupt(number); }

void hook_block(uc_engine*, std::uint64_t address, std::uint32_t, void* self) {
  static_cast<Engine*>(self)->block(static_cast<std::uint32_t>(address));
}

bool hook_bad_access(uc_engine*, uc_mem_type type, std::uint64_t address, int, std::int64_t, void* self) {
  bool write = type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT;
  bool fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
  static_cast<Engine*>(self)->bad_access(address, write, fetch);
  return false;  // not handled: the emulation stops
}

}  // namespace

Engine::Engine(GuestMemory& memory, ServiceHandler& handler, Budget budget)
    : memory_(memory), handler_(handler), budget_(budget) {
  check(uc_open(UC_ARCH_X86, UC_MODE_32, &uc_), "uc_open");
  check(uc_mem_map_ptr(uc_, kArenaBase, memory.size(), UC_PROT_ALL, memory.host()), "mapping the flat space");
  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hook_interrupt), this, 1, 0), "the INT hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(hook_bad_access), this, 1, 0),
        "the memory hook");
  // The VMM's GDT (guest_memory.hpp) and its flat selectors, as Windows 95 runs VxD code.
  uc_x86_mmr gdtr{0, kGdtBase, kGdtEntries * 8 - 1, 0};
  check(uc_reg_write(uc_, UC_X86_REG_GDTR, &gdtr), "the GDT");
  load_flat_segments();
  if (budget_.any())
    check(uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(hook_block), this, 1, 0), "the block hook");
  stack_top_ = memory.new_stack();
}

Engine::~Engine() { uc_close(uc_); }

void Engine::read(Regs& r) {
  std::uint32_t* fields[] = {&r.eax, &r.ebx, &r.ecx, &r.edx, &r.esi, &r.edi, &r.ebp, &r.esp, &r.eip, &r.eflags};
  std::array<int, 10> ids = kRegIds;
  uc_reg_read_batch(uc_, ids.data(), reinterpret_cast<void**>(fields), static_cast<int>(ids.size()));
}

void Engine::write(const Regs& r) {
  const std::uint32_t* fields[] = {&r.eax, &r.ebx, &r.ecx, &r.edx, &r.esi, &r.edi, &r.ebp, &r.esp, &r.eip, &r.eflags};
  std::array<int, 10> ids = kRegIds;
  uc_reg_write_batch(uc_, ids.data(), reinterpret_cast<void* const*>(const_cast<std::uint32_t**>(fields)),
                     static_cast<int>(ids.size()));
}

void Engine::stop(std::string fault) {
  if (fault_.empty()) fault_ = std::move(fault);
  uc_emu_stop(uc_);
}

constexpr std::array<int, 6> kSegmentIds = {UC_X86_REG_CS, UC_X86_REG_DS, UC_X86_REG_ES,
                                            UC_X86_REG_SS, UC_X86_REG_FS, UC_X86_REG_GS};

void Engine::read_segments(std::array<std::uint16_t, 6>& segments) {
  // One batch: each call into Unicorn costs (an entry's exit reads these every time).
  std::array<std::uint32_t, 6> v{};
  std::array<void*, 6> to{};
  for (std::size_t i = 0; i < v.size(); ++i) to[i] = &v[i];
  std::array<int, 6> ids = kSegmentIds;
  uc_reg_read_batch(uc_, ids.data(), to.data(), static_cast<int>(ids.size()));
  for (std::size_t i = 0; i < v.size(); ++i) segments[i] = static_cast<std::uint16_t>(v[i]);
}

void Engine::load_flat_segments() {
  for (std::size_t i = 0; i < kSegmentIds.size(); ++i) {
    std::uint32_t v = kFlatSegments[i];
    check(uc_reg_write(uc_, kSegmentIds[i], &v), kSegmentNames[i]);
  }
}

void Engine::reset_budget() {
  blocks_ = 0;
  check_at_ = budget_.interrupt != nullptr ? kPollBlocks : budget_.max_blocks;
  if (budget_.max_blocks != 0 && budget_.max_blocks < check_at_) check_at_ = budget_.max_blocks;
  // The limit is "more than max_blocks": over_budget stops at the block after the last allowed one.
  if (check_at_ == budget_.max_blocks) ++check_at_;
}

void Engine::over_budget(std::uint32_t address) {
  if (budget_.max_blocks != 0 && blocks_ > budget_.max_blocks) {
    runaway_ = true;
  } else if (budget_.interrupt != nullptr && budget_.interrupt->load(std::memory_order_relaxed)) {
    interrupted_ = true;
  } else {
    check_at_ = blocks_ + kPollBlocks;
    if (budget_.max_blocks != 0 && check_at_ > budget_.max_blocks) check_at_ = budget_.max_blocks + 1;
    return;
  }
  stopped_at_ = address;
  check_at_ = UINT64_MAX;  // the block may finish before the engine stops: look no more
  uc_emu_stop(uc_);
}

void Engine::interrupt(std::uint32_t number) {
  reset_budget();  // a service: the budget counts from here (--max-steps counts from a call into vmm)
  Regs r;
  read(r);
  if (number >= 32 && number != kDynalink) {
    // A software interrupt (EIP is past its two bytes): no VxD calls the VMM that way.
    stop(fmt::format("INT {:02X}h at 0x{:08x}: the VMM is called with INT 20h only", number, r.eip - 2));
    return;
  }
  if (number != kDynalink) {
    // A CPU exception: QEMU leaves EIP on the faulting instruction (INT 3: after it).
    stop(fmt::format("CPU exception {} ({}) at 0x{:08x}", number, exception_name(number), r.eip));
    return;
  }
  ServiceCall call;
  call.at = r.eip - 2;
  std::uint32_t id = 0;
  if (!memory_.read32(r.eip, id)) {
    stop(fmt::format("INT 20h at 0x{:08x} is not followed by a service dword in memory", call.at));
    return;
  }
  call.device = static_cast<std::uint16_t>(id >> 16);
  call.ordinal = static_cast<std::uint16_t>(id & ~std::uint32_t{kJumpBit} & 0xFFFF);
  call.jump = (id & kJumpBit) != 0;
  if (call.jump) {
    // VMMJmp: the service "returns" for the caller, to the caller's return address.
    if (!memory_.read32(r.esp, r.eip)) {
      stop(fmt::format("VMMJmp at 0x{:08x} with ESP 0x{:08x} outside memory", call.at, r.esp));
      return;
    }
    r.esp += 4;
  } else {
    r.eip += 4;
  }
  Regs before = r;
  before.eip = ~r.eip;  // EIP always moves past the dword: always written
  try {
    handler_.service(call, r);
  } catch (...) {
    thrown_ = std::current_exception();
    uc_emu_stop(uc_);
    return;
  }
  write_changed(before, r);
}

void Engine::write_changed(const Regs& before, const Regs& r) {
  // Only what the service changed goes back: most services set one or two registers, and each
  // register written costs a call into Unicorn (measured in bench/emu_service_bench.cpp).
  const std::uint32_t* now[] = {&r.eax, &r.ebx, &r.ecx, &r.edx, &r.esi, &r.edi, &r.ebp, &r.esp, &r.eip, &r.eflags};
  const std::uint32_t* was[] = {&before.eax, &before.ebx, &before.ecx, &before.edx, &before.esi,
                                &before.edi, &before.ebp, &before.esp, &before.eip, &before.eflags};
  std::array<int, 10> ids{};
  std::array<const void*, 10> values{};
  int n = 0;
  for (std::size_t i = 0; i < kRegIds.size(); ++i)
    if (*now[i] != *was[i]) {
      ids[static_cast<std::size_t>(n)] = kRegIds[i];
      values[static_cast<std::size_t>(n++)] = now[i];
    }
  uc_reg_write_batch(uc_, ids.data(), const_cast<void* const*>(values.data()), n);
}

void Engine::bad_access(std::uint64_t address, bool write_access, bool fetch) {
  std::uint32_t eip = 0;
  uc_reg_read(uc_, UC_X86_REG_EIP, &eip);
  fault_ = fetch ? fmt::format("jump to unmapped address 0x{:08x}", address)
                 : fmt::format("{} unmapped address 0x{:08x} at 0x{:08x}", write_access ? "write to" : "read of",
                               address, eip);
}

Exit Engine::enter(std::uint32_t address, Regs in, std::span<const std::uint32_t> args) {
  if (busy_) throw std::logic_error("Engine::enter: the engine is running already");
  std::uint32_t sp = stack_top_ - static_cast<std::uint32_t>(4 * args.size());
  for (std::size_t i = 0; i < args.size(); ++i) memory_.write32(sp + static_cast<std::uint32_t>(4 * i), args[i]);
  sp -= 4;
  memory_.write32(sp, kReturnStub);
  in.esp = sp;
  in.eip = address;
  write(in);
  fault_.clear();
  thrown_ = nullptr;
  runaway_ = interrupted_ = false;
  reset_budget();
  busy_ = true;
  uc_err e = uc_emu_start(uc_, address, kReturnStub, 0, 0);
  busy_ = false;
  Exit exit;
  read(exit.regs);
  read_segments(exit.segments);
  if (exit.segments != kFlatSegments) load_flat_segments();  // the next entry starts flat again
  if (thrown_) std::rethrow_exception(std::exchange(thrown_, nullptr));
  exit.runaway = runaway_;
  exit.interrupted = interrupted_;
  exit.stopped_at = stopped_at_;
  if (runaway_ || interrupted_) return exit;
  exit.returned = e == UC_ERR_OK && fault_.empty() && exit.regs.eip == kReturnStub;
  if (!exit.returned)
    exit.fault = !fault_.empty() ? fault_
                 : e != UC_ERR_OK ? fmt::format("{} at 0x{:08x}", uc_strerror(e), exit.regs.eip)
                                  : fmt::format("stopped at 0x{:08x}", exit.regs.eip);
  return exit;
}

}  // namespace vmmsim::emu
