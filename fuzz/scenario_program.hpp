// scenario_program.hpp: the body of fuzz/scenario_fuzzer.cpp, apart from libFuzzer (tests/fuzz
// runs the kept inputs through it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmmsim::fuzz {

void run_scenario_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace vmmsim::fuzz
