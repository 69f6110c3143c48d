// run_command.hpp: `vmmsim run SCENARIO.lua [--seed N] [--schedule TOKEN] [--trace FILE.jsonl]
// [--chrome-trace FILE.json] [--timeline FILE.html] [--quiet] [--max-steps N] [--max-memory MB]`
// (docs/command-line.md).
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "lua_scenario.hpp"

namespace vmmsim::command {

struct RunOptions {
  std::string scenario;
  std::uint64_t seed = 0;
  bool has_seed = false;
  std::string schedule;      // --schedule TOKEN ("" if not asked for): replay these choices
  std::string trace;         // --trace FILE.jsonl ("" if not asked for)
  std::string chrome_trace;  // --chrome-trace FILE.json
  std::string timeline;      // --timeline FILE.html
  bool quiet = false;
  lua::LuaLimits limits;     // --max-steps, --max-memory
};

// add_run_command: the `run` subcommand, filling options when parsed.
CLI::App* add_run_command(CLI::App& app, RunOptions& options);
// run_command: runs it; returns the exit code (model.md section 6; 2 for an unreadable scenario or
// an output that cannot be opened).
int run_command(const RunOptions& options);

}  // namespace vmmsim::command
