// regressions_test.cpp: every input kept in fuzz/regressions/TARGET/ (what the fuzzers found, each
// fixed) and fuzz/corpus/TARGET/ (the seeds) runs through its fuzz target's program in the ordinary
// build, so a fixed bug stays fixed. In the sanitizer build the invariant walks are on too. An input
// fails the test by crashing it, as it crashed the fuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "api_program.hpp"
#include "scenario_program.hpp"
#include "token_program.hpp"

namespace vmmsim::fuzz::test {
namespace {

std::vector<std::filesystem::path> inputs(const std::string& target) {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"regressions", "corpus"}) {
    std::filesystem::path d = std::filesystem::path(VMMSIM_FUZZ_DIR) / dir / target;
    if (!std::filesystem::is_directory(d)) continue;
    for (const auto& e : std::filesystem::directory_iterator(d))
      if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

template <class Run>
void run_all(const std::string& target, Run run, std::size_t at_least) {
  std::vector<std::filesystem::path> files = inputs(target);
  EXPECT_GE(files.size(), at_least) << "fuzz/*/" << target << " lost its inputs";
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::vector<std::uint8_t> b = bytes_of(f);
    run(b.data(), b.size());
  }
}

TEST(FuzzRegressions, ApiProgramsRunWithoutAnInternalError) {
  run_all("api", [](const std::uint8_t* d, std::size_t n) { run_api_program(d, n); }, 9);
}

TEST(FuzzRegressions, TokensParseOrAreRefusedWithAReason) { run_all("token", run_token, 4); }

TEST(FuzzRegressions, ScenariosEndInAnOutcome) { run_all("scenario", run_scenario_bytes, 1); }

}  // namespace
}  // namespace vmmsim::fuzz::test
