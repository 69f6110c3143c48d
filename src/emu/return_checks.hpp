// return_checks.hpp: what a register entry of a VxD (its control procedure, an event or time-out
// callback) must leave as the VMM entered it, checked when it returns (issue 20):
//   EBP and ESP: EBP is the client register pointer the VMM gave, and the stack must be as it was
//     (DDK "Call_Priority_VM_Event": the callback may modify EAX, EBX, ECX, EDX, ESI, EDI, so those are
//     not checked);
//   the segment registers: the VMM's flat selectors (DDK "Defining Services": the VMM's conventions
//     preserve ES, FS and GS, and the flat model has one code and one data selector);
//   the direction flag clear, as the VMM's C code (compiled to the flat 32-bit C convention) expects
//     it on every return to it;
//   interrupts enabled (IF set): the VMM enters VxD code with them enabled, and code that returns with
//     them disabled leaves the VMM, and every VM, without interrupts.
#pragma once

#include <cstdint>
#include <string>

#include "emu/engine.hpp"
#include "emu/registers.hpp"

namespace vmmsim::emu {

// return_violation: "" when exit (of an entry made with in, whose balanced return leaves ESP at
// expected_esp) keeps the rules above; otherwise what it broke, as
// "returned with EBP changed (0x00000000, was 0x0cfffeb8): a VxD entry point must preserve EBP ...".
std::string return_violation(const Regs& in, const Exit& exit, std::uint32_t expected_esp);

}  // namespace vmmsim::emu
