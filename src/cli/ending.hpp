// ending.hpp: the last lines of stdout for an outcome: the diagnosis for stuck and starved runs (its
// first line starts with "stuck:" / "starved:"), "error: <message>", or one line for finished and
// time_limit.
#pragma once

#include <string>

#include "vmmsim/machine.hpp"

namespace vmmsim::command {

// context: for an error, where it happened (RunResult::error_context), printed on a line of its own
// with the virtual time.
std::string ending(Outcome outcome, const std::string& message, double end_ms, const std::string& context = "");

}  // namespace vmmsim::command
