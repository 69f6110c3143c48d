// registers.hpp: the i386 registers a VMM service or an entry point reads and sets, and the flags
// the DDK's conventions use (the carry for errors and time-outs, the zero flag for yes/no answers).
#pragma once

#include <cstdint>

namespace vmmsim::emu {

struct Regs {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0, esi = 0, edi = 0, ebp = 0, esp = 0, eip = 0;
  std::uint32_t eflags = 0x202;  // IF set, as the VMM calls VxD code (DDK: interrupts enabled)

  bool carry() const { return eflags & kCarry; }
  void set_carry(bool on) { eflags = on ? (eflags | kCarry) : (eflags & ~kCarry); }
  void set_zero(bool on) { eflags = on ? (eflags | kZero) : (eflags & ~kZero); }

  static constexpr std::uint32_t kCarry = 0x001;
  static constexpr std::uint32_t kZero = 0x040;
};

}  // namespace vmmsim::emu
