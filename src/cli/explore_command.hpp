// explore_command.hpp: `vmmsim explore SCENARIO.lua [--strategy dfs|random|pct] [--schedules N]
// [--seed N] [--jobs N] [--shard K/N] [--event-order classes|any] [--spurious-wakeups]
// [--jitter MS]` (scenario-api.md "Command line"), plus --pct-depth D, --no-shrink and
// --report FILE.json.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "lua_scenario.hpp"

namespace vmmsim::command {

struct ExploreCommandOptions {
  std::string scenario;
  std::string strategy = "dfs";
  std::uint64_t schedules = 10000;
  std::uint64_t seed = 0;
  unsigned jobs = 1;
  std::string shard;              // "K/N" ("" for 0/1)
  std::string event_order = "classes";
  bool spurious_wakeups = false;
  double jitter_ms = 0;
  unsigned pct_depth = 3;
  bool no_shrink = false;
  bool reduce = false;
  bool prove = false;             // --prove: the stateful search (ExploreOptions::prove)
  std::uint64_t max_states = std::uint64_t{1} << 24;  // --max-states: its state store's capacity
  std::string branch_by = "rerun";  // --branch-by fork|rerun (ExploreOptions::branch_by)
  std::string report;             // --report FILE.json ("" if not asked for)
  std::string timeline;           // --timeline FILE.html: the failing schedule's page
  lua::LuaLimits limits;          // --max-steps, --max-memory (each schedule's run)
  bool progress = false;          // --progress: progress lines on stderr without a terminal too
  bool trail = false;             // --trail: print the failing schedule's log with its choices
  bool has_seed = false;          // given on the command line: dfs ignores --seed and --pct-depth,
  bool has_pct_depth = false;     // and says so
  std::string program = "vmmsim"; // how the user invoked vmmsim (argv[0]), for the replay line
};

CLI::App* add_explore_command(CLI::App& app, ExploreCommandOptions& options);
// explore_command: the exit code of the first failing schedule, 0 if none, 2 for usage errors.
int explore_command(const ExploreCommandOptions& options);

}  // namespace vmmsim::command
