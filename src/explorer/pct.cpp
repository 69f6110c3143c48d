// pct.cpp: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010), over the VMM's choice points. Every thread, event and timer source gets a random priority
// when first offered; a choice among them takes the highest. d-1 change points are drawn among the
// first k choice points (k: those of the default run); at the j-th one, what was chosen drops to
// priority j, below every initial priority. Spurious wake-ups and jitter have no identities to
// order: they keep option 0 except at a change point, where a random other option is taken.
// Schedule 0 is the default run; schedule i is seeded with (seed, i), as for random.
#include <algorithm>
#include <map>
#include <random>

#include "explorer/seeded.hpp"
#include "explorer/strategy.hpp"

namespace vmmsim::explorer {

namespace {

class PctChooser final : public TracingChooser {
 public:
  PctChooser(ChoiceSpace space, std::uint64_t seed, unsigned depth, std::uint64_t k)
      : TracingChooser(space), rng_(seed), depth_(depth) {
    for (unsigned j = 1; j < depth; ++j) change_points_[below(rng_, std::max<std::uint64_t>(k, 1))] = j;
  }

 protected:
  std::size_t pick(const ChoicePoint& point, std::size_t index) override {
    auto change = change_points_.find(index);
    if (point.ids.empty() || point.kind == ChoiceKind::spurious_wakeup) {
      if (change == change_points_.end()) return 0;
      return 1 + below(rng_, point.count - 1);
    }
    auto& priorities = by_kind_[static_cast<std::size_t>(point.kind)];
    std::size_t best = 0;
    std::uint64_t best_priority = 0;
    for (std::size_t i = 0; i < point.ids.size(); ++i) {
      auto [it, fresh] = priorities.try_emplace(point.ids[i], 0);
      if (fresh) it->second = depth_ + (rng_() >> 8);  // initial priorities are all >= d
      if (i == 0 || it->second > best_priority) {
        best = i;
        best_priority = it->second;
      }
    }
    if (change != change_points_.end()) priorities[point.ids[best]] = change->second;
    return best;
  }

 private:
  std::mt19937_64 rng_;
  unsigned depth_;
  std::map<std::uint64_t, unsigned> change_points_;  // choice point index -> j
  std::map<std::uint64_t, std::uint64_t> by_kind_[5];  // per ChoiceKind: id -> priority
};

class Pct final : public NumberedSchedules {
 public:
  Pct(const ExploreOptions& options, std::uint64_t k)
      : NumberedSchedules(options), seed_(options.seed), depth_(options.pct_depth), k_(k) {}

 protected:
  std::unique_ptr<TracingChooser> chooser_for_number(std::uint64_t number) const override {
    return std::make_unique<PctChooser>(space_, schedule_seed(seed_, number), depth_, k_);
  }

 private:
  std::uint64_t seed_;
  unsigned depth_;
  std::uint64_t k_;
};

}  // namespace

std::unique_ptr<Strategy> make_pct(const ExploreOptions& options, std::uint64_t default_points) {
  return std::make_unique<Pct>(options, default_points);
}

}  // namespace vmmsim::explorer
