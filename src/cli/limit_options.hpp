// limit_options.hpp: --max-steps and --max-memory, the same for `run` and `explore`
// (src/lua/lua_limits.hpp says what each counts).
#pragma once

#include <CLI/CLI.hpp>

#include "lua_scenario.hpp"

namespace vmmsim::command {

void add_limit_options(CLI::App* command, lua::LuaLimits& limits);

}  // namespace vmmsim::command
