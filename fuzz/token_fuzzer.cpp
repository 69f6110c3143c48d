// token_fuzzer.cpp: libFuzzer target (c) of issue 11: the input is a schedule token, as a user
// passes it to `vmmsim run --schedule`. Schedule::parse must refuse a malformed one with a reason
// (never crash), and a token it accepts must replay on a scenario with choices of every kind,
// noting picks that do not exist there, as ReplayChooser promises.
#include <cstddef>
#include <cstdint>

#include "token_program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vmmsim::fuzz::run_token(data, size);
  return 0;
}
