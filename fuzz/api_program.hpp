// api_program.hpp: the interpreter behind fuzz/api_fuzzer.cpp, apart from libFuzzer so that the
// regression test (tests/fuzz) runs kept inputs through it in the ordinary build.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vmmsim/log.hpp"

namespace vmmsim::fuzz {

// run_api_program: sets up a Machine from the first bytes and runs the rest as service calls.
// log: where the run's log goes, to read what an input did (nullptr: nowhere).
void run_api_program(const std::uint8_t* data, std::size_t size, LogSink* log = nullptr);

}  // namespace vmmsim::fuzz
