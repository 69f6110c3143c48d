// prove_rerun.cpp: explore --prove --branch-by rerun: the same stateful depth-first search as the
// forking one (prove.hpp), with each branch reached by running the scenario again from the start
// up to its choice point instead of from a forked copy of the process. It visits the branches in
// the forking search's order (at each choice point option 0's subtree, then 1's, ...; the deepest
// choice point first when backing up), so both find the same first failure with the same counts.
//
// A run's states past its prefix go into the store when its trace comes back (one run at a time:
// no run can meet a state another run met before the store has it). A run that meets a stored
// state stops there: that state's subtree is searched, or being searched, from where it was met.
#include <algorithm>
#include <memory>
#include <vector>

#include "explorer/prove.hpp"
#include "explorer/state_store.hpp"
#include "explorer/trace.hpp"

namespace vmmsim::explorer {

namespace {

// Branches: a run's untried options, taken from the deepest choice point of the run back to the
// first fresh one (the ones before replay its parent).
struct Branches {
  std::vector<std::uint32_t> taken, counts;  // the run's trace
  std::size_t first = 0;     // the run's first fresh choice point
  std::size_t position = 0;  // the choice point being branched (one past it before the first)
  std::uint32_t option = 0;  // and its option

  // next: moves to the next branch; false when the run has none left. Past its prefix the run took
  // option 0 everywhere, so each fresh choice point branches to options 1, 2, ...
  bool next() {
    for (;;) {
      if (position < counts.size() && option + 1 < counts[position]) {
        ++option;
        return true;
      }
      if (position == first) return false;
      --position;
      option = 0;
    }
  }
  std::vector<std::uint32_t> prefix() const {
    std::vector<std::uint32_t> p(taken.begin(), taken.begin() + static_cast<std::ptrdiff_t>(position));
    p.push_back(option);
    return p;
  }
};

class Search {
 public:
  Search(ScenarioRunner& runner, const ExploreOptions& options)
      : runner_(runner), options_(options), store_(options.max_states) {}

  Proof run() {
    std::vector<Branches> stack;
    explore_one({}, stack);
    while (!stack.empty() && !over_) {
      if (options_.interrupt != nullptr && options_.interrupt->load()) {
        proof_.interrupted = true;
        break;
      }
      Branches& b = stack.back();
      if (!b.next()) {
        stack.pop_back();
        continue;
      }
      explore_one(b.prefix(), stack);
    }
    proof_.states = store_.size();
    proof_.store_bytes = store_.bytes();
    proof_.store_slots = store_.slots();
    return proof_;
  }

 private:
  // explore_one: one run, prefix then option 0; its states stored, its untried options stacked.
  void explore_one(std::vector<std::uint32_t> prefix, std::vector<Branches>& stack) {
    std::size_t fresh = prefix.size();
    PrefixChooser chooser(options_.space, std::move(prefix));
    chooser.stop_at_stored(&store_, fresh);
    ScheduleRun run;
    try {
      run = runner_.run(chooser);
    } catch (const std::exception& e) {
      run = {Outcome::error, std::string("the scenario runner failed: ") + e.what(), 0, false, {}, {}};
    }
    ++proof_.reruns;
    if (options_.progress && proof_.reruns % 64 == 0)
      options_.progress(ExploreProgress{proof_.ended, proof_.failing ? 1u : 0u, 0, 0});
    const Trace& t = chooser.trace();
    if (options_.interrupt != nullptr && options_.interrupt->load()) {  // the run ended on it, as an error
      proof_.interrupted = over_ = true;
      return;
    }
    if (!run.unsupported.empty()) {
      proof_.unsupported = run.unsupported;
      over_ = true;
      return;
    }
    // Its option at the prefix's last choice point (where it branched), then option 0 at each after.
    proof_.transitions += t.size() - std::min(t.size(), fresh) + (fresh > 0 ? 1 : 0);
    std::size_t fingerprinted = 0;
    for (const Trace::Met& met : t.states) {
      if (met.index < fresh) continue;
      if (t.stopped && &met == &t.states.back()) break;  // the stored state it stopped at
      ++fingerprinted;
      if (store_.insert(met.state) == StateStore::Insert::full) {
        proof_.full = over_ = true;
        return;
      }
    }
    proof_.unfingerprinted += t.size() - std::min(t.size(), fresh) - fingerprinted;
    proof_.max_depth = std::max<std::uint64_t>(proof_.max_depth, t.size());
    if (t.stopped) {
      ++proof_.matched;
    } else {
      ++proof_.ended;
      ++proof_.outcomes[run.outcome];
      if (run.outcome != Outcome::finished) {
        proof_.failing = t.schedule(options_.space);
        proof_.failed = run;
        proof_.found_at = proof_.ended;
        over_ = true;
        return;
      }
    }
    if (t.size() > fresh) {
      Branches b{t.taken, t.counts, fresh, t.size(), 0};
      stack.push_back(std::move(b));
    }
  }

  ScenarioRunner& runner_;
  const ExploreOptions& options_;
  StateStore store_;
  Proof proof_;
  bool over_ = false;
};

}  // namespace

Proof prove_by_rerunning(ScenarioRunner& runner, const ExploreOptions& options) {
  return Search(runner, options).run();
}

}  // namespace vmmsim::explorer
