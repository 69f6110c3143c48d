// ranks.hpp: for state fingerprints (fingerprint.cpp), the rank of each value among all values of one
// counter. Tie keys and wake-up steps only ever matter through comparisons with newer values of the
// same counter, so two runs that differ only in how many switches or wake-ups came before still match.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vmmsim::detail {

class Ranks {
 public:
  void add(std::uint64_t v) { values_.push_back(v); }
  void done() {
    std::sort(values_.begin(), values_.end());
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
  }
  std::uint64_t of(std::uint64_t v) const {
    return static_cast<std::uint64_t>(std::lower_bound(values_.begin(), values_.end(), v) - values_.begin());
  }

 private:
  std::vector<std::uint64_t> values_;
};

}  // namespace vmmsim::detail
