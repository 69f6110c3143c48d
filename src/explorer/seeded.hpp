// seeded.hpp: randomness for the random and pct strategies, from the explorer's seed only.
#pragma once

#include <cstdint>
#include <random>

#include "vmmsim/chooser.hpp"

namespace vmmsim::explorer {

// schedule_seed: the generator seed of schedule number i (SplitMix64's finaliser mixes the bits).
inline std::uint64_t schedule_seed(std::uint64_t seed, std::uint64_t i) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// below: a number in [0, n). std::uniform_int_distribution differs between standard libraries, and
// a schedule must be the same everywhere; the modulo's bias is far below what matters here.
inline std::size_t below(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

// kSpuriousOneIn: a random spurious wake-up at one choice point in this many. Waking a sleeper at
// every point would drown the run in wake-ups (a correct re-check loop would spin without time
// advancing); rare ones are what a driver meets.
constexpr std::size_t kSpuriousOneIn = 16;

// random_option: a random answer to point: uniform, except for spurious wake-ups (rare).
inline std::size_t random_option(const ChoicePoint& point, std::mt19937_64& rng) {
  if (point.kind == ChoiceKind::spurious_wakeup) {
    if (below(rng, kSpuriousOneIn) != 0) return 0;
    return 1 + below(rng, point.count - 1);
  }
  return below(rng, point.count);
}

}  // namespace vmmsim::explorer
