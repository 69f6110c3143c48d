// coverage.hpp: which choice points the counted schedules met and which of their options they took.
// A choice point is a node of the schedule tree: the options taken before it name it. Nodes are
// kept by a 64-bit hash of that path.
//
// complete(): every node met has had every option taken. Then the nodes met are closed under
// children (taking option o of node n meets n's child o, or ends the run there), so every schedule
// of the space has run: the random strategies stop there (issue 16 item 4). A node with more than 64
// options is never complete (its options are not told apart), and a 64-bit collision of two paths
// could merge two nodes: the odds are about (nodes^2) / 2^65, nothing a search meets.
#pragma once

#include <bit>
#include <cstdint>
#include <unordered_map>

#include "explorer/trace.hpp"

namespace vmmsim::explorer {

class Coverage {
 public:
  void add(const Trace& trace) {
    std::uint64_t node = 0x6A09E667F3BCC908ULL;
    for (std::size_t i = 0; i < trace.size(); ++i) {
      auto [it, fresh] = nodes_.try_emplace(node);
      Node& n = it->second;
      bool was_full = !fresh && full(n);
      n.count = trace.counts[i];
      if (trace.taken[i] < 64) n.taken |= std::uint64_t{1} << trace.taken[i];
      bool is_full = full(n);
      if (fresh) open_ += is_full ? 0 : 1;
      else if (was_full != is_full) open_ += is_full ? -1 : 1;
      node = mix(node, trace.taken[i]);
    }
    any_ = true;
  }
  // complete: the schedules added so far are the whole space (see above).
  bool complete() const { return any_ && open_ == 0; }
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
  static bool full(const Node& n) {
    return n.count <= 64 && std::popcount(n.taken) == static_cast<int>(n.count);
  }
  static std::uint64_t mix(std::uint64_t h, std::uint64_t option) {
    h ^= option + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
  }
  std::unordered_map<std::uint64_t, Node> nodes_;
  std::int64_t open_ = 0;  // nodes with an option not taken yet
  bool any_ = false;       // a schedule was added
};

}  // namespace vmmsim::explorer
