// run_command.cpp: `vmmsim run`: wires the outputs to the Lua binding and prints the ending.
//
// stdout is the log: a line per record (unless --quiet), then the ending: the diagnosis for stuck
// and starved runs (its first line starts with "stuck:" / "starved:"), "error: <message>", or one
// line for finished and time_limit. Usage problems go to stderr with exit code 2.
#include "run_command.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <optional>

#include "ending.hpp"
#include "interrupt.hpp"
#include "limit_options.hpp"
#include "seed_option.hpp"
#include "lua_scenario.hpp"
#include "sinks.hpp"
#include "vmmsim/schedule.hpp"

namespace vmmsim::command {

namespace {

// open_outputs: the sinks the options ask for; false (error reported) if a file cannot be opened.
bool open_outputs(const RunOptions& options, FanOutSink& sinks) {
  if (!options.quiet) sinks.add(make_text_log(stdout));
  struct File {
    const std::string& path;
    std::unique_ptr<OutputSink> (*open)(const std::string&, std::string&);
  };
  const File files[] = {{options.trace, open_jsonl_trace},
                        {options.chrome_trace, open_chrome_trace},
                        {options.timeline, open_timeline_html}};
  for (const File& file : files) {
    if (file.path.empty()) continue;
    std::string error;
    std::unique_ptr<OutputSink> sink = file.open(file.path, error);
    if (!sink) {
      fmt::print(stderr, "vmmsim run: {}\n", error);
      return false;
    }
    sinks.add(std::move(sink));
  }
  return true;
}


}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario once and print its log");
  run->add_option("scenario", options.scenario, "The scenario (a Lua file)")->required()->type_name("SCENARIO.lua");
  run->add_option("--seed", options.seed, "Seed of math.random in the scenario (default 0)")
      ->type_name("N")
      ->check(CLI::Validator(check_seed, "", "seed"))
      ->each([&options](const std::string&) { options.has_seed = true; });
  run->add_option("--schedule", options.schedule, "Replay the choices of a schedule token (from vmmsim explore)")
      ->type_name("TOKEN")
      ->check(CLI::Validator(
          [](std::string& text) {
            std::string why;
            return Schedule::parse(text, &why) ? std::string() : why;
          },
          "", "schedule token"));
  run->add_option("--trace", options.trace, "Write every record as JSON Lines")->type_name("FILE.jsonl");
  run->add_option("--chrome-trace", options.chrome_trace, "Write a Trace Event Format file (Perfetto UI)")
      ->type_name("FILE.json");
  run->add_option("--timeline", options.timeline, "Write a self-contained HTML timeline")->type_name("FILE.html");
  run->add_flag("--quiet", options.quiet, "Print only the ending, not the log");
  add_limit_options(run, options.limits);
  return run;
}

int run_command(const RunOptions& options) {
  FanOutSink sinks;
  if (!open_outputs(options, sinks)) return 2;

  lua::LuaRunOptions run;
  run.file = options.scenario;
  run.seed = options.seed;
  run.has_seed = options.has_seed;
  run.log = &sinks;
  run.limits = options.limits;
  InterruptGuard interrupt;  // Ctrl-C: the run ends soon, the log so far and the outputs are kept
  run.interrupt = interrupt.flag();
  std::optional<ReplayChooser> replay;
  if (!options.schedule.empty()) {
    replay.emplace(*Schedule::parse(options.schedule, nullptr));  // validated when parsed
    run.chooser = &*replay;
  }
  lua::LuaRunResult result = lua::run_lua_scenario(run);

  std::string output_errors = sinks.finish(
      {result.end_ms, std::string(outcome_name(result.outcome)), result.exit_code, result.message});
  if (result.exit_code == 2) {
    fmt::print(stderr, "vmmsim run: {}\n", result.message);
    return 2;
  }
  if (result.run && result.run->outcome != result.outcome) {  // on_exit failed after the run
    std::fputs(ending(result.run->outcome, result.run->message, result.end_ms).c_str(), stdout);
  }
  // The run's context (time, thread) belongs to an error of the run, not to one of vmm.on_exit.
  bool run_error = result.run && result.run->outcome == result.outcome;
  std::fputs(ending(result.outcome, result.message, result.end_ms, run_error ? result.run->error_context : "").c_str(),
             stdout);
  std::fflush(stdout);
  if (interrupt.interrupted()) {
    fmt::print(stderr, "vmmsim run: interrupted by {}: the log above is the run so far\n", interrupt.signal_name());
    if (!output_errors.empty()) fmt::print(stderr, "vmmsim run: {}", output_errors);
    return kInterruptedExit;
  }
  if (replay && (!replay->mismatch().empty() || replay->unused() > 0)) {
    // model.md section 7: a token fixes every choice of one scenario; another scenario's is misuse.
    fmt::print(stderr, "vmmsim run: --schedule: the token does not fit this scenario: {}\n",
               replay->mismatch().empty()
                   ? fmt::format("it picks options at {} choice point(s) the run never reached", replay->unused())
                   : replay->mismatch());
    return 2;
  }
  if (!output_errors.empty()) {
    fmt::print(stderr, "vmmsim run: {}", output_errors);
    return result.exit_code == 0 ? 1 : result.exit_code;
  }
  return result.exit_code;
}

}  // namespace vmmsim::command
