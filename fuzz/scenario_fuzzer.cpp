// scenario_fuzzer.cpp: libFuzzer target (a) of issue 11: the input is a scenario file's bytes,
// loaded and run as `vmmsim run` would. Any text must end in an outcome or a clear error; binary
// chunks are refused.
#include <cstddef>
#include <cstdint>

#include "scenario_program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vmmsim::fuzz::run_scenario_bytes(data, size);
  return 0;
}
