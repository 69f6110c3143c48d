// prove.cpp: prove() (prove.hpp). Every process of the search returns here from the run its fork
// continued; a child puts its outcome on the board and leaves with _exit, so only the top process
// goes on to read the board.
#include "explorer/prove.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <memory>
#include <new>

#include <fmt/format.h>

#include "explorer/prove_chooser.hpp"
#include "explorer/run_guarded.hpp"
#include "explorer/shared_mapping.hpp"
#include "explorer/state_store.hpp"

namespace vmmsim::explorer {

namespace {

Proof read_board(const Board& b, const StateStore& store, ChoiceSpace space) {
  Proof p;
  p.states = store.size();
  p.matched = b.matched;
  p.transitions = b.transitions;
  p.unfingerprinted = b.unfingerprinted;
  p.ended = b.ended;
  p.forks = b.forks;
  p.max_depth = b.max_depth;
  p.store_bytes = store.bytes();
  p.store_slots = store.slots();
  for (std::size_t i = 0; i < Board::kOutcomes; ++i)
    if (b.outcomes[i] != 0) p.outcomes[static_cast<Outcome>(i)] = b.outcomes[i];
  p.full = b.full;
  p.interrupted = b.interrupted;
  p.unsupported = b.unsupported;
  p.problem = b.problem;
  if (b.failed) {
    Schedule s;
    s.space = space;
    for (std::uint64_t i = 0; i < b.failure_length; ++i)
      if (b.failure_taken[i] != 0) s.picks[i] = b.failure_taken[i];
    p.failing = std::move(s);
    p.failed.outcome = b.failure_outcome;
    p.failed.end_ms = b.failure_end_ms;
    p.found_at = b.found_at;
  }
  return p;
}

// refuse_other_threads: fork copies the calling thread alone; any other would be missing in every child,
// with whatever it held. /proc/self/task lists the process's threads.
void refuse_other_threads() {
  std::error_code error;
  std::size_t threads = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error))
    ++threads;
  if (threads > 1)
    throw std::invalid_argument(fmt::format(
        "explore --prove: this process runs {} threads, and the search forks, which copies only the calling one: "
        "call explore with prove from a process with one thread",
        threads));
}

}  // namespace

Proof prove(ScenarioRunner& runner, const ExploreOptions& options) {
  if (options.branch_by == BranchBy::rerun) return prove_by_rerunning(runner, options);
  refuse_other_threads();
  StateStore store(options.max_states);
  SharedMapping board_memory(sizeof(Board));
  Board* board = std::launder(static_cast<Board*>(board_memory.data()));  // zeros: a fresh board
  ProveChooser::Progress progress;
  if (options.progress)
    progress = [&options](const Board& b) {
      options.progress(ExploreProgress{b.ended, b.failed ? 1u : 0u, 0, 0});
    };
  ProveChooser chooser(options.space, store, *board, options.interrupt, std::move(progress));
  std::fflush(nullptr);  // nothing buffered is inherited (children never flush, but be exact)
  ScheduleRun run = run_guarded(runner, chooser);
  chooser.finish(run);
  if (chooser.forked()) _exit(0);
  return read_board(*board, store, options.space);
}

}  // namespace vmmsim::explorer
