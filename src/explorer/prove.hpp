// prove.hpp: `explore --prove` (issue 16 item 2): an exhaustive stateful depth-first search. By
// fork (no re-execution of prefixes), the run forks at each choice point: a child process takes
// each option but the last, one after the other, while the parent waits; then the parent takes the
// last itself. By rerun (prove_rerun.cpp), each branch is a run from the start. A state met before
// (StateStore, shared by every process of the forking search) ends its branch. Nothing is bounded by rounds: the
// search ends when every reachable state has been expanded, at the first failure, when the store
// is full (--max-states) or on an interrupt.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "vmmsim/explore.hpp"

namespace vmmsim::explorer {

struct Proof {
  std::uint64_t states = 0;        // distinct states stored (fingerprinted choice points expanded)
  std::uint64_t matched = 0;       // branches ended at a state stored before
  std::uint64_t transitions = 0;   // options taken, summed over every choice point expanded
  std::uint64_t unfingerprinted = 0;  // choice points expanded with no fingerprint (never matched)
  std::uint64_t ended = 0;         // runs that reached their end (an outcome), in search order
  std::uint64_t forks = 0;         // fork: processes the search made
  std::uint64_t reruns = 0;        // rerun: scenario runs from the start
  std::uint64_t max_depth = 0;     // the most choice points of one run
  std::uint64_t store_bytes = 0;   // the state table's memory
  std::uint64_t store_slots = 0;
  std::map<Outcome, std::uint64_t> outcomes;  // runs per outcome
  bool full = false;         // the store held max_states: the search stopped there
  bool interrupted = false;  // ExploreOptions::interrupt
  std::optional<Schedule> failing;  // the first failing run's choices, as found
  ScheduleRun failed;               // its outcome (the message comes from a replay)
  std::uint64_t found_at = 0;       // that run's number among the ended ones
  std::string unsupported;          // a run said state matching cannot be sound for this scenario
  std::string problem;              // a process of the search failed (fork, a crash): nothing proved
  bool complete() const { return !full && !interrupted && !failing && unsupported.empty() && problem.empty(); }
};

// prove: the search, by options.branch_by. By forking, from the calling thread, which must be the process's only thread (fork copies
// the calling thread alone). Never throws past a fork; throws std::invalid_argument for a bad
// max_states and std::runtime_error when the shared memory cannot be had.
Proof prove(ScenarioRunner& runner, const ExploreOptions& options);
// prove_by_rerunning (prove_rerun.cpp): BranchBy::rerun: the same search, in order and counts,
// reaching each branch by running the scenario again from the start.
Proof prove_by_rerunning(ScenarioRunner& runner, const ExploreOptions& options);

}  // namespace vmmsim::explorer
