// scenario_program.cpp: run_scenario_bytes (scenario_program.hpp): the bytes as the text of
// fuzz.lua, run with a short time limit and no log.
#include "scenario_program.hpp"

#include <string>

#include "lua_scenario.hpp"

namespace vmmsim::fuzz {

void run_scenario_bytes(const std::uint8_t* data, std::size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  lua::LuaRunOptions options;
  options.file = "fuzz.lua";
  options.source = &source;
  // Tight limits: the fuzzer wants many short runs, and an endless loop is an outcome here, not a hang.
  options.limits.max_steps = 1'000'000;
  options.limits.max_memory_mb = 256;
  lua::run_lua_scenario(options);
}

}  // namespace vmmsim::fuzz
