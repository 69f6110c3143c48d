// prove_chooser.hpp: the chooser of `explore --prove` (prove.hpp) and the board its processes
// share. At a choice point it ends the branch at a state stored before, or stores the state and
// forks a child per option but the last, waiting for each; then it takes the last option itself.
// Every process of the search holds one: the one it inherited at its fork.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <vector>

#include "explorer/state_store.hpp"
#include "vmmsim/explore.hpp"

namespace vmmsim::explorer {

// Board: what the processes of the search tell each other, in shared memory. Only one of them runs
// at a time (the others wait for a child), so plain fields suffice; waitpid orders the writes.
// The fields have no initializers: the board lives in fresh mapped memory, which is all zeros, and
// a constructor would write its 4 MiB of failure path at once.
struct Board {
  static constexpr std::size_t kOutcomes = static_cast<std::size_t>(Outcome::time_limit) + 1;
  static constexpr std::size_t kMaxPath = std::size_t{1} << 20;  // choice points a failure can carry
  static constexpr std::size_t kText = 1024;

  std::uint64_t transitions, matched, unfingerprinted, ended, forks, max_depth;
  std::uint64_t outcomes[kOutcomes];
  bool stop;  // every process ends its run as soon as it can
  bool interrupted, full, failed;
  Outcome failure_outcome;
  double failure_end_ms;
  std::uint64_t found_at;        // the failing run's number among the runs that ended
  std::uint64_t failure_length;  // its choice points
  char unsupported[kText];
  char problem[kText];
  std::uint32_t failure_taken[kMaxPath];  // the option it took at each
};
static_assert(std::is_trivial_v<Board> && static_cast<int>(Outcome::finished) == 0,
              "a Board must be valid as zero bytes");

class ProveChooser final : public Chooser {
 public:
  using Progress = std::function<void(const Board&)>;
  ProveChooser(ChoiceSpace space, StateStore& store, Board& board, const std::atomic<bool>* interrupt,
               Progress progress)
      : space_(space), store_(store), board_(board), interrupt_(interrupt), progress_(std::move(progress)) {}

  ChoiceSpace space() const override { return space_; }
  bool wants_states() const override { return true; }
  bool matches_by_identity() const override { return true; }  // every option is taken
  std::size_t choose(const ChoicePoint& point) override;

  // forked: this process is a child of the search (it must end with _exit after finish).
  bool forked() const { return forked_; }
  // finish: the run of this process has ended: its outcome goes on the board.
  void finish(const ScheduleRun& run);

 private:
  std::size_t take(std::size_t option);
  std::size_t halt(const ChoicePoint& point);
  void wait_for(int pid);
  void fail(const char* what);
  bool interrupted();
  void note_depth();

  ChoiceSpace space_;
  StateStore& store_;
  Board& board_;
  const std::atomic<bool>* interrupt_;
  Progress progress_;
  std::vector<std::uint32_t> taken_;  // the option taken at each choice point of this run so far
  bool forked_ = false;
};

}  // namespace vmmsim::explorer
