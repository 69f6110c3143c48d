// reduction.cpp: NoReduction and StateMatching (reduction.hpp).
//
// StateMatching: the first run to meet a state owns it. Another run that meets it later by another
// path, with at least as many non-default choices before it, is covered: whatever it could do from
// there, the owner's descendants do with at most as many choices, in this round or a later one. So
// its trace is cut there (it has no children past that point), and from the next round on, runs
// stop there at once (their chooser has the states of the earlier rounds). Ownership is settled in
// hand-out order, so the schedules and the first failure are the same for every --jobs.
#include "explorer/reduction.hpp"

namespace vmmsim::explorer {

namespace {

class NoReduction final : public Reduction {
 public:
  std::size_t settle(const Trace& trace) override { return trace.size(); }
  void prepare(PrefixChooser&, std::size_t) const override {}
  void prepare_default(PrefixChooser&) const override {}
  void next_round() override {}
  std::uint64_t pruned() const override { return 0; }
  std::uint64_t states() const override { return 0; }
};

class StateMatching final : public Reduction {
 public:
  std::size_t settle(const Trace& trace) override {
    for (const Trace::Met& met : trace.states) {
      auto [it, first] = visited_.try_emplace(met.state, Visit{met.non_default, met.path});
      if (!first && covered(it->second, met.non_default, met.path)) {
        ++pruned_;
        return met.index;
      }
    }
    return trace.size();
  }
  void prepare(PrefixChooser& chooser, std::size_t replayed) const override {
    chooser.match_states(earlier_, replayed);
  }
  // The default run, for a shard other than 0, which does not hand it out: its states are settled
  // like a handed-out run's, since its children skip them.
  void prepare_default(PrefixChooser& chooser) const override { chooser.match_states(nullptr); }
  void next_round() override { earlier_ = std::make_shared<const Visited>(visited_); }
  std::uint64_t pruned() const override { return pruned_; }
  std::uint64_t states() const override { return visited_.size(); }

 private:
  Visited visited_;                         // every state met, and its owner
  std::shared_ptr<const Visited> earlier_;  // the states of the rounds before this one
  std::uint64_t pruned_ = 0;
};

}  // namespace

std::unique_ptr<Reduction> make_no_reduction() { return std::make_unique<NoReduction>(); }
std::unique_ptr<Reduction> make_state_matching() { return std::make_unique<StateMatching>(); }

}  // namespace vmmsim::explorer
