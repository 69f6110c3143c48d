// random_walk.cpp: the random strategy. Schedule 0 is the default run; schedule i draws every choice
// from a generator seeded with (seed, i) alone, so it is the same schedule whichever worker or shard
// runs it. Shard k of N runs the schedules i with i mod N = k.
#include <random>

#include "explore/seeded.hpp"
#include "explore/strategy.hpp"

namespace vmmsim::explorer {

namespace {

class RandomChooser final : public TracingChooser {
 public:
  RandomChooser(ChoiceSpace space, std::uint64_t seed) : TracingChooser(space), rng_(seed) {}

 protected:
  std::size_t pick(const ChoicePoint& point, std::size_t) override { return random_option(point, rng_); }

 private:
  std::mt19937_64 rng_;
};

class RandomWalk final : public Strategy {
 public:
  explicit RandomWalk(const ExploreOptions& options)
      : space_(options.space), seed_(options.seed), next_(options.shard), step_(options.shards) {}

  Supply next(Leaf& leaf) override {
    leaf = Leaf{{}, next_};
    next_ += step_;
    return Supply::leaf;
  }
  std::unique_ptr<TracingChooser> chooser_for(const Leaf& leaf) const override {
    if (leaf.number == 0) return std::make_unique<PrefixChooser>(space_, kNoPrefix);
    return std::make_unique<RandomChooser>(space_, schedule_seed(seed_, leaf.number));
  }

 private:
  static inline const std::vector<std::uint32_t> kNoPrefix{};
  ChoiceSpace space_;
  std::uint64_t seed_;
  std::uint64_t next_;
  std::uint64_t step_;
};

}  // namespace

std::unique_ptr<Strategy> make_random(const ExploreOptions& options) { return std::make_unique<RandomWalk>(options); }

}  // namespace vmmsim::explorer
