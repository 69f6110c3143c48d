// vmmsim/explore.hpp: the explorer. It runs a scenario again and again, each time under another
// schedule of the free choices the seeds leave open (model.md section 7), and hands back the first
// failing schedule, shrunk, as a replayable token.
//
// A scenario must be deterministic given its choices: the same schedule, the same run. Everything
// the simulator does is; a scenario that reads the host clock or unseeded randomness is not.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vmmsim/chooser.hpp"
#include "vmmsim/machine.hpp"
#include "vmmsim/schedule.hpp"

namespace vmmsim {

// Strategy: how the schedules are chosen.
//   dfs:    systematic, in rounds: round b runs every schedule with exactly b non-default choices,
//           depth first; b grows until the space is exhausted or the budget ends.
//   random: schedule 0 is the default run; schedule i takes each choice at random from a generator
//           seeded with (seed, i).
//   pct:    probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random priorities
//           for threads, events and timer sources, lowered at depth-1 random change points.
enum class Strategy { dfs, random, pct };

// BranchBy: how explore --prove reaches the other options of a choice point: fork (a copy of the
// process made there, no re-execution) or rerun (the scenario run again from the start up to it).
// The same search either way; which is cheaper depends on what a fork costs on the host against a
// run of the scenario (docs/explorer.md, "Proving"). rerun is the default: on the machine this was
// measured on, a process of the forking search cost about 6 ms of CPU, a run of the bench/spin
// twins 0.08 ms.
enum class BranchBy { fork, rerun };

std::string_view strategy_name(Strategy strategy);

struct ExploreProgress {
  std::uint64_t schedules = 0;   // schedules whose result is in
  std::uint64_t failures = 0;    // 0 or 1: the explorer stops at the first
  std::uint64_t budget = 0;
  unsigned dfs_round = 0;        // dfs: non-default choices of the schedules now run
};

struct ExploreOptions {
  Strategy strategy = Strategy::dfs;
  std::uint64_t schedules = 10000;  // the budget: at most this many schedules (per shard)
  std::uint64_t seed = 0;           // random and pct
  unsigned pct_depth = 3;           // pct: the bug depth d (d-1 priority change points)
  unsigned jobs = 1;                // worker threads, each with its own scenario runner
  unsigned shard = 0;               // this process covers shard `shard` of `shards` (0-based)
  unsigned shards = 1;
  ChoiceSpace space;                // --event-order any, --spurious-wakeups, --jitter
  bool shrink = true;               // shrink a failing schedule to the fewest non-default choices
  // dfs keeps each round's traces to find the next round's schedules; past this many choice points
  // (8 bytes each) it re-runs schedules instead, which costs runs but no memory.
  std::size_t dfs_frontier_limit = 50'000'000;
  // reduce: dfs prunes by state matching (model.md section 7, "Pruning"): a run that reaches a state
  // another run reached first, by another path and with no more non-default choices, is covered by
  // that run's continuations and goes no further. Needs a runner that fingerprints its state (a Lua
  // scenario's explore_runner with state matching); random and pct ignore it.
  bool reduce = false;
  // prove: instead of dfs's rounds, an exhaustive stateful search (issue 16 item 2): each option of
  // each choice point is searched depth first, from a fork of the process there or by a re-run
  // (branch_by), and a state met before (by fingerprint) ends its branch. Not bounded by rounds or `schedules`: it
  // ends when every reachable state is expanded (a proof), at the first failure, when max_states
  // are stored (incomplete, and said so) or on the interrupt. Linux-only (fork); one job, one shard;
  // the calling thread must be the process's only thread. Prunes only with a runner that
  // fingerprints its state, as reduce does; otherwise it searches every schedule. By fork, the
  // calling thread must be the process's only one.
  bool prove = false;
  std::uint64_t max_states = std::uint64_t{1} << 24;  // prove: the state store's capacity
  BranchBy branch_by = BranchBy::rerun;                // prove: how it branches
  // progress: called on the calling thread after each schedule whose result is taken in order.
  std::function<void(const ExploreProgress&)> progress;
  // interrupt: when it becomes true (a signal handler may set it), no further schedule is handed out
  // and explore returns what it has, with ExploreResult::interrupted.
  const std::atomic<bool>* interrupt = nullptr;
};

// ScheduleRun: what one run of the scenario under one schedule did.
struct ScheduleRun {
  Outcome outcome = Outcome::finished;
  std::string message;  // as RunResult::message (the diagnosis, the error)
  double end_ms = 0;
  bool stopped = false;     // stopped by the chooser at a state seen before (state matching)
  std::string unsupported;  // why state matching cannot be sound for this scenario, if it cannot
  std::string error_context;  // as RunResult::error_context
};

// ScenarioRunner: runs the scenario once, from the start, with the given chooser in charge of every
// free choice. The explorer makes one runner per worker thread and uses it from that thread only.
class ScenarioRunner {
 public:
  virtual ~ScenarioRunner() = default;
  virtual ScheduleRun run(Chooser& chooser) = 0;
};
using RunnerFactory = std::function<std::unique_ptr<ScenarioRunner>()>;

// Scenario: the C++ form of a scenario: sets up a fresh Machine (threads, VMs, interrupts), which
// the explorer then runs. Called once per schedule, from several threads at once when jobs > 1.
using Scenario = std::function<void(Machine&)>;
RunnerFactory runner_for(Scenario scenario, Config config = {});

// ChoiceNote: one non-default choice of a schedule, for people to read.
struct ChoiceNote {
  std::uint64_t point = 0;  // choice point index in the run
  ChoiceKind kind = ChoiceKind::thread_tie;
  std::uint32_t option = 0;
  std::uint32_t count = 0;  // options offered there
};

struct ExploreFailure {
  ScheduleRun run;              // the failure, as the shrunk schedule replays it
  Schedule schedule;            // shrunk (the token to hand back)
  std::vector<ChoiceNote> choices;  // its non-default choices
  // replays_same: replaying the schedule failed the same way again. False means the scenario is not
  // deterministic given its choices (it reads the clock, unseeded randomness...).
  bool replays_same = true;
  std::size_t found_choices = 0;  // non-default choices of the schedule as found, before shrinking
  std::uint64_t found_at = 0;   // 1-based number of the schedule that failed first
};

struct ExploreResult {
  std::uint64_t schedules = 0;        // schedules run and counted, in order, up to the failure
  std::uint64_t runs = 0;             // scenario runs in all (dfs re-runs schedules to reach deeper ones)
  std::optional<ExploreFailure> failure;
  bool exhausted = false;             // every schedule of the space (of this shard) was run
  // covered: random, pct: they stopped because the schedules run took every option of every choice
  // point met, which is every schedule of the space (exhausted is true too).
  bool covered = false;
  bool interrupted = false;           // stopped early by ExploreOptions::interrupt
  unsigned dfs_round = 0;             // dfs: the round the exploration ended in
  std::map<Outcome, std::uint64_t> outcomes;  // schedules per outcome
  std::uint64_t distinct_outcomes = 0;  // distinct (outcome, first line of the message, end time)
  std::uint64_t choice_points = 0;    // distinct choice points seen: nodes of the schedule tree
  std::uint64_t options_seen = 0;     // their options, summed
  std::uint64_t options_covered = 0;  // options some counted schedule took
  std::uint64_t stopped = 0;          // reduce: schedules stopped at once at a state seen before
  std::uint64_t pruned = 0;           // reduce: schedules cut at a state seen before (stopped included)
  std::uint64_t states = 0;           // reduce, prove: distinct states fingerprinted
  // prove (ExploreOptions::prove): schedules counts the runs that reached an outcome, runs the runs
  // from the start (1, then shrinking and the replay).
  struct Proof {
    std::uint64_t matched = 0;          // branches ended at a state stored before
    std::uint64_t transitions = 0;      // options taken at the choice points expanded
    std::uint64_t unfingerprinted = 0;  // choice points expanded without a fingerprint
    std::uint64_t forks = 0;            // fork: processes made (rerun: 0; ExploreResult::runs counts)
    std::uint64_t max_depth = 0;        // the most choice points of one run
    std::uint64_t store_bytes = 0;      // memory of the state table
    std::uint64_t store_slots = 0;      // its slots (16 bytes each)
    std::uint64_t max_states = 0;       // ExploreOptions::max_states
    bool store_full = false;            // the search stopped with max_states stored: no proof
  };
  std::optional<Proof> proof;
};

// explore: runs schedules of the scenario until the first failure, the end of the space or the
// budget. Throws std::invalid_argument for options out of range, and, with reduce, when a run says
// state matching cannot be sound for the scenario (ScheduleRun::unsupported).
ExploreResult explore(const RunnerFactory& runners, const ExploreOptions& options);

// failure_signature: what "fails the same way" compares when shrinking: the outcome and the first
// line of the message with times (numbers with a fraction) blanked out.
std::string failure_signature(Outcome outcome, const std::string& message);

}  // namespace vmmsim
