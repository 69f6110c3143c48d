// seed_option.hpp: the --seed validator shared by `run` and `explore`.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace vmmsim::command {

// check_seed: CLI11 would accept "-1" or 2^64 for a std::uint64_t; a seed is a decimal in range.
inline std::string check_seed(std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    return "'" + text + "' is not an integer from 0 to 18446744073709551615";
  }
  return "";
}

}  // namespace vmmsim::command
