// token_program.hpp: the body of fuzz/token_fuzzer.cpp, apart from libFuzzer (tests/fuzz runs the
// kept inputs through it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmmsim::fuzz {

void run_token(const std::uint8_t* data, std::size_t size);

}  // namespace vmmsim::fuzz
