#include "instruction_counts.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace vmmsim::bench {
namespace {

constexpr long kSmall = 2000;   // operations in the first run
constexpr long kLarge = 22000;  // and in the second

// collected: callgrind's "Collected : N" total for one run of vmmsim_count, or nullopt.
std::optional<double> collected(const std::string& program, const char* mode, long n) {
  std::string command = "valgrind --tool=callgrind --callgrind-out-file=/dev/null '" + program + "' " + mode +
                        " " + std::to_string(n) + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return std::nullopt;
  char line[512];
  std::optional<double> total;
  while (std::fgets(line, sizeof line, pipe.get()) != nullptr) {
    unsigned long long value = 0;
    // Lines look like "==1234== Collected : 5678901".
    if (const char* at = std::strstr(line, "Collected :"); at && std::sscanf(at, "Collected : %llu", &value) == 1)
      total = static_cast<double>(value);
  }
  return total;
}

}  // namespace

InstructionCounts count_instructions() {
  InstructionCounts counts;
  if (std::system("valgrind --version > /dev/null 2>&1") != 0) {
    counts.error = "valgrind is not installed";
    return counts;
  }
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string program = (self.parent_path() / "vmmsim_count").string();
  if (ec || access(program.c_str(), X_OK) != 0) {
    counts.error = "vmmsim_count not found beside vmmsim_bench";
    return counts;
  }
  std::fputs("counting instructions with valgrind --tool=callgrind ...\n", stderr);
  for (const char* mode : {"event", "asio", "deque", "round_trip", "context"}) {
    auto small = collected(program, mode, kSmall), large = collected(program, mode, kLarge);
    if (!small || !large) {
      counts.error = std::string("callgrind failed on vmmsim_count ") + mode;
      return counts;
    }
    counts.per_op[mode] = (*large - *small) / static_cast<double>(kLarge - kSmall);
  }
  return counts;
}

}  // namespace vmmsim::bench
