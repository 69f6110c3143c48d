// limit_options.cpp: add_limit_options (limit_options.hpp).
#include "limit_options.hpp"

namespace vmmsim::command {

void add_limit_options(CLI::App* command, lua::LuaLimits& limits) {
  command
      ->add_option("--max-steps", limits.max_steps,
                   "Lua instructions a thread may run without calling vmm (and translated blocks of i386 code an "
                   "emulated driver may run without calling a VMM service) before the run ends as a runaway "
                   "(default 100000000; 0: no limit)")
      ->type_name("N");
  command
      ->add_option("--max-memory", limits.max_memory_mb,
                   "Megabytes the scenario's Lua state may hold (default 1024; 0: no limit)")
      ->type_name("MB")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 40, "MB"));
}

}  // namespace vmmsim::command
