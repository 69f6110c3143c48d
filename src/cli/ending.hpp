// ending.hpp: the last lines of stdout for an outcome: the diagnosis for stuck and starved runs (its
// first line starts with "stuck:" / "starved:"), "error: <message>", or one line for finished and
// time_limit.
#pragma once

#include <string>

#include "vmmsim/machine.hpp"

namespace vmmsim::command {

std::string ending(Outcome outcome, const std::string& message, double end_ms);

}  // namespace vmmsim::command
