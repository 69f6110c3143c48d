// lua_scenario.hpp: running a scenario file (scenario-api.md): the Lua binding's one entry point.
//
// run_lua_scenario loads the file into a fresh lua_State, builds the `vmm` table, runs the file's
// top level (the set-up), runs the Machine, then calls the vmm.on_exit functions.
//
// Determinism: math.random is seeded with options.seed (0 unless given), never from the clock. The
// `os` library is left as Lua provides it: os.time, os.clock and os.getenv make a scenario depend on
// the world outside the simulation, so scenarios that want reproducible runs must not use them.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vmmsim/explore.hpp"
#include "vmmsim/vmmsim.hpp"

namespace vmmsim::lua {

// LuaLimits: --max-steps and --max-memory (lua_limits.hpp); 0 turns a limit off.
struct LuaLimits {
  std::uint64_t max_steps = 100'000'000;  // Lua instructions between two calls into vmm
  std::uint64_t max_memory_mb = 1024;     // the Lua state's memory
};

struct LuaRunOptions {
  std::string file;                     // the scenario; also its chunk name ("file:line:" in errors)
  std::uint64_t seed = 0;               // math.randomseed(seed)
  bool has_seed = false;                // whether the seed was given (the seed is 0 otherwise)
  vmmsim::LogSink* log = nullptr;       // the run's log (nullptr: nowhere)
  vmmsim::Chooser* chooser = nullptr;   // free choices (nullptr: the deterministic default)
  const std::string* source = nullptr;  // the file's text when already read (explore reads it once)
  // source_is_bytecode: source is the explorer's own compilation of the text (lua_explore.cpp); a
  // scenario file itself must be text (a precompiled chunk is refused: issue 11).
  bool source_is_bytecode = false;
  // state_matching: fingerprint the state at choice points (explore --reduce, lua_state_hash.hpp).
  bool state_matching = false;
  LuaLimits limits;
  // interrupt: when it becomes true, the run (or the set-up) stops soon as "interrupted".
  const std::atomic<bool>* interrupt = nullptr;
};

struct LuaRunResult {
  vmmsim::Outcome outcome = vmmsim::Outcome::finished;  // error too when loading, set-up or on_exit failed
  int exit_code = 0;       // vmmsim::exit_code(outcome); 2 when the file cannot be read
  std::string message;     // error: "file.lua:12: ..."; stuck/starved: the diagnosis; 2: the reason
  double end_ms = 0;       // virtual time at the end (0 if the run never started)
  // run: what Machine::run() returned, if the run took place (it differs from outcome/message when
  // an on_exit function failed afterwards).
  std::optional<vmmsim::RunResult> run;
  bool stopped = false;  // the chooser stopped the run at a state seen before (vmm.on_exit not run)
  // state_matching_refused: with state_matching, how the scenario observed the garbage collector
  // (empty if it did not): pruning cannot be sound for it.
  std::string state_matching_refused;
};

// run_lua_scenario: loads and runs options.file. Never throws: every failure is in the result.
LuaRunResult run_lua_scenario(const LuaRunOptions& options);

// read_scenario_file: the text of file as run_lua_scenario loads it; false with why set otherwise.
bool read_scenario_file(const std::string& file, std::string& text, std::string& why);

// explore_runner: a RunnerFactory for vmmsim::explore: every runner runs source (the text of file)
// in a fresh Lua state per schedule, math.random seeded with 0 as `vmmsim run` does without --seed,
// so that `vmmsim run FILE --schedule TOKEN` replays a schedule with no other option.
// With state_matching, each run fingerprints its state for the explorer's pruning (explore --reduce).
vmmsim::RunnerFactory explore_runner(std::string file, std::string source, bool state_matching = false,
                                     LuaLimits limits = {});

// vmm_entry_names (lua_vmm_table.cpp): every name vmm.NAME can give (the functions and constants
// built on first read, and sys_vm, set when the table is made), sorted: what lua/vmm.lua must list.
std::vector<std::string> vmm_entry_names();

}  // namespace vmmsim::lua
