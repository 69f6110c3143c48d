// random_walk.cpp: the random strategy: schedule i (i > 0) draws every choice from a generator
// seeded with (seed, i) alone (NumberedSchedules numbers them).
#include <random>

#include "explorer/seeded.hpp"
#include "explorer/strategy.hpp"

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

class RandomWalk final : public NumberedSchedules {
 public:
  explicit RandomWalk(const ExploreOptions& options) : NumberedSchedules(options), seed_(options.seed) {}

 protected:
  std::unique_ptr<TracingChooser> chooser_for_number(std::uint64_t number) const override {
    return std::make_unique<RandomChooser>(space_, schedule_seed(seed_, number));
  }

 private:
  std::uint64_t seed_;
};

}  // namespace

std::unique_ptr<Strategy> make_random(const ExploreOptions& options) { return std::make_unique<RandomWalk>(options); }

}  // namespace vmmsim::explorer
