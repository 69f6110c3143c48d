// return_checks.cpp: return_violation (return_checks.hpp).
#include "emu/return_checks.hpp"

#include <fmt/format.h>

namespace vmmsim::emu {

namespace {
constexpr std::uint32_t kInterruptFlag = 0x200;
constexpr std::uint32_t kDirectionFlag = 0x400;
}  // namespace

std::string return_violation(const Regs& in, const Exit& exit, std::uint32_t expected_esp) {
  const Regs& out = exit.regs;
  if (out.ebp != in.ebp || out.esp != expected_esp) {
    bool ebp = out.ebp != in.ebp;
    return fmt::format("returned with {} changed (0x{:08x}, was 0x{:08x}): a VxD entry point must preserve EBP "
                       "and return with its stack as it was",
                       ebp ? "EBP" : "ESP", ebp ? out.ebp : out.esp, ebp ? in.ebp : expected_esp);
  }
  for (std::size_t i = 0; i < exit.segments.size(); ++i)
    if (exit.segments[i] != kFlatSegments[i])
      return fmt::format("returned with {} changed (0x{:04x}, was the flat selector 0x{:04x}): a VxD entry point "
                         "must return with the VMM's segment registers",
                         kSegmentNames[i], exit.segments[i], kFlatSegments[i]);
  if (out.eflags & kDirectionFlag)
    return "returned with the direction flag set (DF): a VxD entry point must return with it clear (CLD)";
  if ((in.eflags & kInterruptFlag) && !(out.eflags & kInterruptFlag))
    return "returned with interrupts disabled (IF clear): a VxD entry point entered with them enabled must "
           "return with them enabled (STI)";
  return "";
}

}  // namespace vmmsim::emu
