// explore_replay.hpp: after `vmmsim explore` found a failure: the failing schedule replayed once
// more into the outputs asked for: --timeline FILE.html (the page, with the non-default choices
// marked where they were taken) and --trail (its log on stdout with the choices inlined, as SPIN
// prints a trail).
#pragma once

#include <string>

#include "lua_scenario.hpp"
#include "vmmsim/schedule.hpp"

namespace vmmsim::command {

// replay_failure: runs scenario under schedule; returns "" or the error (an output that could
// not be written).
std::string replay_failure(const std::string& scenario, const Schedule& schedule, const std::string& timeline,
                           bool trail, const lua::LuaLimits& limits);

}  // namespace vmmsim::command
