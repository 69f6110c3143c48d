// signature.cpp: names, and what "fails the same way" means for shrinking.
#include <cctype>

#include "vmmsim/explore.hpp"

namespace vmmsim {

std::string_view strategy_name(Strategy strategy) {
  switch (strategy) {
    case Strategy::dfs: return "dfs";
    case Strategy::random: return "random";
    case Strategy::pct: return "pct";
  }
  return "?";
}

// The first line names what failed (the error and its line, the stuck or starved thread); times in
// it ("at 2.000 ms") move when the schedule changes, so they are blanked out.
std::string failure_signature(Outcome outcome, const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  std::string out(outcome_name(outcome));
  out += ": ";
  auto digit = [&](std::size_t i) { return i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])); };
  for (std::size_t i = 0; i < line.size();) {
    if (digit(i)) {
      std::size_t j = i;
      while (digit(j)) ++j;
      if (j < line.size() && line[j] == '.' && digit(j + 1)) {
        ++j;
        while (digit(j)) ++j;
        out += '#';
        i = j;
        continue;
      }
      out.append(line, i, j - i);
      i = j;
      continue;
    }
    out += line[i++];
  }
  return out;
}

}  // namespace vmmsim
