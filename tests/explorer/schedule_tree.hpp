// schedule_tree.hpp: schedule trees written by hand, to test the explorer without the simulator
// (dfs_test.cpp, prove_test.cpp). Each inner node is a choice point with one option per child and
// may carry a state id that stands for the whole state there (two nodes with the same id are the
// same state); walk() takes one run down the tree as its chooser picks.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vmmsim/chooser.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::schedule_tree {

struct Node {
  std::vector<Node> children;  // none: a leaf (the run ends)
  std::uint64_t state = 0;     // 0: not fingerprinted here
  std::string name;            // leaves: what the run "did"
};

inline Node leaf(std::string name) { return Node{{}, 0, std::move(name)}; }
inline Node choice(std::vector<Node> children, std::uint64_t state = 0) {
  return Node{std::move(children), state, ""};
}

// walk: the leaf the run reaches, each inner node a thread-tie choice point (with its state when
// the chooser wants it there), or nullptr when the chooser stops the run (Chooser::kStop).
inline const Node* walk(const Node& root, Chooser& chooser) {
  const Node* n = &root;
  while (!n->children.empty()) {
    Fingerprint f{n->state, 0x5EED};
    ChoicePoint p;
    p.kind = ChoiceKind::thread_tie;
    p.count = n->children.size();
    p.state = n->state != 0 && chooser.wants_states() && chooser.wants_state_here() ? &f : nullptr;
    std::size_t o = chooser.choose(p);
    if (o == Chooser::kStop) return nullptr;
    n = &n->children[o];
  }
  return n;
}

}  // namespace vmmsim::schedule_tree
