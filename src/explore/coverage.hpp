// coverage.hpp: which choice points the counted schedules met and which of their options they took.
// A choice point is a node of the schedule tree: the options taken before it name it. Nodes are
// kept by a 64-bit hash of that path.
#pragma once

#include <bit>
#include <cstdint>
#include <unordered_map>

#include "explore/trace.hpp"

namespace vmmsim::explorer {

class Coverage {
 public:
  void add(const Trace& trace) {
    std::uint64_t node = 0x6A09E667F3BCC908ULL;
    for (std::size_t i = 0; i < trace.size(); ++i) {
      Node& n = nodes_[node];
      n.count = trace.counts[i];
      if (trace.taken[i] < 64) n.taken |= std::uint64_t{1} << trace.taken[i];
      node = mix(node, trace.taken[i]);
    }
  }
  std::uint64_t points() const { return nodes_.size(); }
  std::uint64_t options() const {
    std::uint64_t sum = 0;
    for (const auto& [hash, n] : nodes_) sum += n.count;
    return sum;
  }
  // covered: options taken (options past the 64th of a point are not told apart).
  std::uint64_t covered() const {
    std::uint64_t sum = 0;
    for (const auto& [hash, n] : nodes_) sum += static_cast<std::uint64_t>(std::popcount(n.taken));
    return sum;
  }

 private:
  struct Node {
    std::uint32_t count = 0;
    std::uint64_t taken = 0;
  };
  static std::uint64_t mix(std::uint64_t h, std::uint64_t option) {
    h ^= option + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
  }
  std::unordered_map<std::uint64_t, Node> nodes_;
};

}  // namespace vmmsim::explorer
