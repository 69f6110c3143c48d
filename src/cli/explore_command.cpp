// explore_command.cpp: `vmmsim explore`: reads the scenario once, explores it (vmmsim/explore.hpp),
// prints the first failure with its token and the `vmmsim run` line that replays it, then a summary.
//
// stdout: a header line; on a failure, the ending `run` prints for it, the schedule's choices, the
// token and the replay line; then the summary. Progress goes to stderr (progress.hpp): on a
// terminal, or as lines with --progress.
#include "explore_command.hpp"

#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "ending.hpp"
#include "explore_replay.hpp"
#include "lua_scenario.hpp"
#include "interrupt.hpp"
#include "limit_options.hpp"
#include "output_file.hpp"
#include "progress.hpp"
#include "seed_option.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::command {

namespace {

constexpr int kUsage = 2;

bool parse_shard(const std::string& text, unsigned& k, unsigned& n) {
  auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  const char* b = text.data();
  auto [p1, e1] = std::from_chars(b, b + slash, k);
  auto [p2, e2] = std::from_chars(b + slash + 1, b + text.size(), n);
  return e1 == std::errc{} && p1 == b + slash && e2 == std::errc{} && p2 == b + text.size() && slash > 0 &&
         slash + 1 < text.size();
}

// shell_word: the file name as one word of a POSIX shell command line.
std::string shell_word(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/' || c == '+'))
      plain = false;
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// check_jitter: CLI11's Range would print its bounds as "0.000000 to 1000000.000000"; say it in ms.
std::string check_jitter(std::string& text) {
  double ms = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, ms);
  if (text.empty() || ec != std::errc{} || ptr != end || !(ms >= 0 && ms <= 1.0e6))
    return "'" + text + "' is not a number of milliseconds from 0 to 1000000";
  return "";
}

std::string space_words(const ChoiceSpace& space) {
  std::string s = space.event_order_any ? "event order any" : "event order classes";
  if (space.spurious_wakeups) s += ", spurious wake-ups";
  if (space.jitter_us > 0) s += fmt::format(", jitter {:.3f} ms", space.jitter_us / 1000.0);
  return s;
}

std::string outcome_counts(const ExploreResult& r) {
  std::string s;
  for (const auto& [outcome, count] : r.outcomes) {
    if (!s.empty()) s += ", ";
    s += fmt::format("{} {}", outcome_name(outcome), count);
  }
  return s;
}

nlohmann::json report_json(const ExploreCommandOptions& o, const ExploreOptions& eo, const ExploreResult& r) {
  nlohmann::json j;
  j["scenario"] = o.scenario;
  j["strategy"] = std::string(strategy_name(eo.strategy));
  j["shard"] = {eo.shard, eo.shards};
  j["seed"] = eo.seed;
  j["schedules"] = r.schedules;
  j["runs"] = r.runs;
  j["exhausted"] = r.exhausted;
  j["covered"] = r.covered;
  j["interrupted"] = r.interrupted;
  if (eo.strategy == Strategy::dfs) j["dfs_round"] = r.dfs_round;
  nlohmann::json outcomes = nlohmann::json::object();
  for (const auto& [outcome, count] : r.outcomes) outcomes[std::string(outcome_name(outcome))] = count;
  j["outcomes"] = outcomes;
  j["distinct_outcomes"] = r.distinct_outcomes;
  j["choice_points"] = r.choice_points;
  j["options_seen"] = r.options_seen;
  j["options_covered"] = r.options_covered;
  if (r.proof) {
    const ExploreResult::Proof& p = *r.proof;
    j["proof"] = {{"proved", r.exhausted},          {"states", r.states},
                  {"matched", p.matched},           {"transitions", p.transitions},
                  {"unfingerprinted", p.unfingerprinted}, {"max_depth", p.max_depth},
                  {"forks", p.forks},               {"store_bytes", p.store_bytes},
                  {"store_slots", p.store_slots},   {"max_states", p.max_states},
                  {"store_full", p.store_full},     {"branch_by", o.branch_by}};
  }
  if (eo.reduce) j["state_matching"] = {{"states", r.states}, {"pruned", r.pruned}, {"stopped", r.stopped}};
  if (r.failure) {
    const ExploreFailure& f = *r.failure;
    j["failure"] = {{"outcome", std::string(outcome_name(f.run.outcome))},
                    {"exit_code", exit_code(f.run.outcome)},
                    {"message", f.run.message},
                    {"token", f.schedule.token()},
                    {"found_at", f.found_at},
                    {"replay", fmt::format("{} run {} --schedule {}", shell_word(o.program), shell_word(o.scenario),
                                            f.schedule.token())}};
  } else {
    j["failure"] = nullptr;
  }
  j["exit_code"] = r.failure ? exit_code(r.failure->run.outcome) : 0;
  return j;
}

// print_proof_verdict: --prove's line when it found no failure: proved, or why not.
void print_proof_verdict(const ExploreResult& r, const char* signal) {
  const ExploreResult::Proof& p = *r.proof;
  if (r.exhausted)
    fmt::print("no failure: proved: every reachable state was expanded ({} states); the space is exhausted\n",
               r.states);
  else if (p.store_full)
    fmt::print("no failure so far: the state store is full ({} states, --max-states {}): the proof is incomplete\n",
               r.states, p.max_states);
  else if (r.interrupted)
    fmt::print("no failure so far: interrupted by {} after {} states: the proof is incomplete\n", signal, r.states);
}

// print_proof_summary: pan's report (states stored and matched, transitions, depth, memory, time).
void print_proof_summary(const ExploreResult& r, BranchBy branch_by, double seconds) {
  const ExploreResult::Proof& p = *r.proof;
  auto plural = [](std::uint64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); };
  fmt::print("summary: {}, {} matched, {}, depth {}; {} ended; outcomes: {}\n", plural(r.states, "state", "states"),
             p.matched, plural(p.transitions, "transition", "transitions"), p.max_depth,
             plural(r.schedules, "run", "runs"), outcome_counts(r));
  fmt::print("prove: state store {:.2f} MiB ({} slots of 16 bytes, {:.1f}% full); {} choice points without a "
             "fingerprint; {}; {:.2f} s\n",
             static_cast<double>(p.store_bytes) / (1024.0 * 1024.0), p.store_slots,
             p.store_slots == 0 ? 0.0 : 100.0 * static_cast<double>(r.states) / static_cast<double>(p.store_slots),
             p.unfingerprinted,
             branch_by == BranchBy::fork ? fmt::format("{} processes", p.forks + 1)
                                         : fmt::format("{} scenario runs", r.runs),
             seconds);
}

}  // namespace

CLI::App* add_explore_command(CLI::App& app, ExploreCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand("explore", "Run a scenario under every order the VMM leaves open; hand back the first failure");
  cmd->add_option("scenario", o.scenario, "The scenario (a Lua file)")->required()->type_name("SCENARIO.lua");
  cmd->add_option("--strategy", o.strategy, "dfs (systematic), random (seeded) or pct (probabilistic)")
      ->type_name("dfs|random|pct")
      ->check(CLI::IsMember({"dfs", "random", "pct"}));
  cmd->add_option("--schedules", o.schedules, "The budget: at most N schedules (default 10000)")
      ->type_name("N")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
  cmd->add_option("--seed", o.seed, "Seed of the random and pct strategies (default 0)")
      ->type_name("N")
      ->check(CLI::Validator(check_seed, "", "seed"))
      ->each([&o](const std::string&) { o.has_seed = true; });
  cmd->add_option("--jobs", o.jobs, "Worker threads (default 1); the result does not depend on it")
      ->type_name("N")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--shard", o.shard, "Explore only shard K of N (K from 0): N processes cover the space without overlap")
      ->type_name("K/N")
      ->check(CLI::Validator(
          [](std::string& text) {
            unsigned k = 0, n = 0;
            if (!parse_shard(text, k, n)) return "'" + text + "' is not K/N (for example 0/4)";
            if (n == 0) return std::string("N must be at least 1");
            if (k >= n) return fmt::format("K counts from 0 to N-1: {} is not below {}", k, n);
            return std::string();
          },
          "", "shard"));
  cmd->add_option("--event-order", o.event_order, "classes: reorder within global, VM and thread events; any: across them too")
      ->type_name("classes|any")
      ->check(CLI::IsMember({"classes", "any"}));
  cmd->add_flag("--spurious-wakeups", o.spurious_wakeups, "Threads blocked on IDs may wake without a _SignalID");
  cmd->add_option("--jitter", o.jitter_ms, "Interrupts and time-outs may arrive up to MS late (in 1 ms steps)")
      ->type_name("MS")
      ->check(CLI::Validator(check_jitter, "", "jitter"));
  cmd->add_option("--pct-depth", o.pct_depth, "pct: the bug depth d, d-1 priority change points (default 3)")
      ->type_name("D")
      ->check(CLI::Range(1u, 64u))
      ->each([&o](const std::string&) { o.has_pct_depth = true; });
  cmd->add_flag("--no-shrink", o.no_shrink, "Hand back the failing schedule as found, without shrinking it");
  cmd->add_flag("--reduce", o.reduce,
                "dfs: prune by state matching: a schedule that reaches a state another one reached first goes no "
                "further (model.md section 7)");
  cmd->add_flag("--prove", o.prove,
                "Exhaustive stateful search: fork at each choice point, end a branch at a state met before; not "
                "bounded by rounds or --schedules (docs/explorer.md)");
  cmd->add_option("--max-states", o.max_states,
                  "--prove: states the store can hold (default 16777216, 16 bytes each); when full, the proof is "
                  "incomplete")
      ->type_name("N")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 36));
  cmd->add_option("--branch-by", o.branch_by,
                  "--prove: reach a choice point's other options by running the scenario again from the start "
                  "(default) or from a fork of the process there: the same search")
      ->type_name("fork|rerun")
      ->check(CLI::IsMember({"fork", "rerun"}));
  cmd->add_option("--report", o.report, "Also write the result as JSON (for merging shards)")->type_name("FILE.json");
  cmd->add_option("--timeline", o.timeline, "On a failure, write the failing schedule's timeline page")
      ->type_name("FILE.html");
  add_limit_options(cmd, o.limits);
  cmd->add_flag("--progress", o.progress,
                "Progress lines on stderr even when it is not a terminal (CI logs): one every 5 s, then a done line");
  cmd->add_flag("--trail", o.trail, "On a failure, print the failing schedule's log with its choices marked");
  return cmd;
}

int explore_command(const ExploreCommandOptions& o) {
  ExploreOptions eo;
  eo.strategy = o.strategy == "random" ? Strategy::random : o.strategy == "pct" ? Strategy::pct : Strategy::dfs;
  eo.schedules = o.schedules;
  eo.seed = o.seed;
  eo.jobs = o.jobs;
  if (!o.shard.empty()) parse_shard(o.shard, eo.shard, eo.shards);  // validated when parsed
  eo.space.event_order_any = o.event_order == "any";
  eo.space.spurious_wakeups = o.spurious_wakeups;
  eo.space.jitter_us = static_cast<std::int64_t>(std::llround(o.jitter_ms * 1000.0));
  if (o.jitter_ms > 0 && eo.space.jitter_us == 0) {
    fmt::print(stderr, "vmmsim explore: --jitter {} is below the clock's resolution of 0.001 ms\n", o.jitter_ms);
    return kUsage;
  }
  eo.pct_depth = o.pct_depth;
  // dfs draws nothing: a seed or a depth given with it would silently change nothing.
  if (eo.strategy == Strategy::dfs && o.has_seed)
    fmt::print(stderr, "vmmsim explore: warning: --seed is ignored with --strategy dfs (it seeds random and pct)\n");
  if (eo.strategy != Strategy::pct && o.has_pct_depth)
    fmt::print(stderr, "vmmsim explore: warning: --pct-depth is ignored with --strategy {} (it is pct's)\n",
               strategy_name(eo.strategy));
  eo.shrink = !o.no_shrink;
  eo.reduce = o.reduce;
  eo.prove = o.prove;
  eo.max_states = o.max_states;
  eo.branch_by = o.branch_by == "fork" ? BranchBy::fork : BranchBy::rerun;

  std::string source, why;
  if (!lua::read_scenario_file(o.scenario, source, why)) {
    fmt::print(stderr, "vmmsim explore: {}\n", why);
    return kUsage;
  }
  OutputFile report;
  if (!o.report.empty()) {
    std::string error;
    if (!report.open(o.report, error)) {
      fmt::print(stderr, "vmmsim explore: {}\n", error);
      return kUsage;
    }
  }
  InterruptGuard interrupt;  // Ctrl-C: stop between schedules and report what was found
  eo.interrupt = interrupt.flag();
  Progress progress(progress_mode(o.progress));
  eo.progress = [&progress](const ExploreProgress& p) { progress.update(p); };

  fmt::print("explore {}: strategy {}{}, {}, shard {}/{}, {} job{}\n", o.scenario,
             eo.prove ? std::string_view(eo.branch_by == BranchBy::fork ? "prove (stateful, by fork)" : "prove (stateful, by rerun)") : strategy_name(eo.strategy),
             eo.strategy == Strategy::pct ? fmt::format(" (depth {})", eo.pct_depth) : "",
             space_words(eo.space), eo.shard, eo.shards, eo.jobs, eo.jobs == 1 ? "" : "s");
  std::fflush(stdout);
  ExploreResult r;
  auto started = std::chrono::steady_clock::now();  // --prove reports its time, like pan; it decides nothing
  try {
    r = explore(lua::explore_runner(o.scenario, std::move(source), eo.reduce || eo.prove, o.limits), eo);
  } catch (const std::exception& e) {
    progress.clear();
    // explore() names itself ("explore: ..."), for C++ callers; the command's prefix says it already.
    std::string what = e.what();
    if (what.rfind("explore: ", 0) == 0) what.erase(0, 9);
    fmt::print(stderr, "vmmsim explore: {}\n", what);
    return kUsage;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress.clear();
  progress.finish(r.schedules);

  int code = 0;
  if (r.failure) {
    const ExploreFailure& f = *r.failure;
    code = exit_code(f.run.outcome);
    fmt::print("failure at schedule {}: {}\n", f.found_at, outcome_name(f.run.outcome));
    std::fputs(ending(f.run.outcome, f.run.message, f.run.end_ms, f.run.error_context).c_str(), stdout);
    fmt::print("schedule: {} non-default choice{}", f.schedule.picks.size(), f.schedule.picks.size() == 1 ? "" : "s");
    if (f.found_choices != f.schedule.picks.size()) fmt::print(" (shrunk from {})", f.found_choices);
    fmt::print("\n");
    for (const ChoiceNote& c : f.choices)
      fmt::print("  choice point {} ({}): option {} of {}\n", c.point, choice_kind_name(c.kind), c.option, c.count);
    if (!f.replays_same)
      fmt::print("warning: replaying this schedule did not fail the same way: the scenario is not deterministic "
                 "given its choices (does it read os.time, os.clock or os.getenv?)\n");
    fmt::print("token: {}\n", f.schedule.token());
    // The command as the user invoked it (build/vmmsim, or vmmsim on PATH), so the line runs as is.
    // Limits other than the defaults are part of how the failure is reached: the replay names them.
    std::string limits;
    if (o.limits.max_steps != lua::LuaLimits{}.max_steps) limits += fmt::format(" --max-steps {}", o.limits.max_steps);
    if (o.limits.max_memory_mb != lua::LuaLimits{}.max_memory_mb)
      limits += fmt::format(" --max-memory {}", o.limits.max_memory_mb);
    fmt::print("replay: {} run {} --schedule {}{}\n", shell_word(o.program), shell_word(o.scenario),
               f.schedule.token(), limits);
    if (o.trail || !o.timeline.empty()) {
      std::fflush(stdout);
      std::string error = replay_failure(o.scenario, f.schedule, o.timeline, o.trail, o.limits);
      if (!error.empty()) fmt::print(stderr, "vmmsim explore: {}", error);
    }
  } else if (r.proof) {
    print_proof_verdict(r, interrupt.signal_name());
  } else if (r.exhausted && r.pruned > 0) {
    fmt::print("no failure: the space is exhausted: every schedule ran or was covered by one that reached the "
               "same state (none has more than {} non-default choice{})\n",
               r.dfs_round - 1, r.dfs_round == 2 ? "" : "s");
  } else if (r.interrupted) {
    fmt::print("no failure so far: interrupted by {} after {} schedules; the space is not exhausted\n",
               interrupt.signal_name(), r.schedules);
  } else if (r.covered) {
    fmt::print("no failure: the space is exhausted: the {} schedules drawn took every option of its {} choice "
               "point{}, which is every schedule there is, so {} stopped drawing\n",
               r.schedules, r.choice_points, r.choice_points == 1 ? "" : "s", strategy_name(eo.strategy));
  } else if (r.exhausted) {
    fmt::print("no failure: the space is exhausted: {} ran{}\n",
               r.schedules == 1 ? std::string("its one schedule") : fmt::format("all {} schedules", r.schedules),
               eo.strategy == Strategy::dfs
                   ? fmt::format(" (none has more than {} non-default choice{})", r.dfs_round - 1,
                                 r.dfs_round == 2 ? "" : "s")
                   : "");
  } else {
    fmt::print("no failure: the budget of {} schedules ran out{}\n", eo.schedules,
               eo.strategy == Strategy::dfs
                   ? fmt::format(" while dfs ran schedules with {} non-default choices (all with fewer ran)", r.dfs_round)
                   : "; the space is not exhausted");
  }
  if (r.proof)
    print_proof_summary(r, eo.branch_by, seconds);
  else
    fmt::print("summary: {} schedules ({} scenario runs); outcomes: {}; {} distinct; choice points: {} seen, "
               "{} of their {} options covered\n",
               r.schedules, r.runs, outcome_counts(r), r.distinct_outcomes, r.choice_points, r.options_covered,
               r.options_seen);
  if (eo.reduce)
    fmt::print("state matching: {} distinct states; {} schedules pruned at a state seen before ({} stopped at once)\n",
               r.states, r.pruned, r.stopped);
  std::fflush(stdout);
  if (r.interrupted && code == 0) code = kInterruptedExit;
  if (!o.report.empty()) {
    report.write(report_json(o, eo, r).dump(2) + "\n");
    std::string error = report.close();
    if (!error.empty()) {
      fmt::print(stderr, "vmmsim explore: {}\n", error);
      return code == 0 ? 1 : code;
    }
  }
  return code;
}

}  // namespace vmmsim::command
