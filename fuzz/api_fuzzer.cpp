// api_fuzzer.cpp: libFuzzer target (b) of issue 11: the input is a byte-coded program of C++ API
// calls — services with random handles, flags, boosts and times — run by a few threads, VMs,
// callbacks and interrupt handlers of one Machine. A misuse must throw ServiceError (caught here,
// as a driver could) or end the run with an outcome; a crash, a sanitizer report, an internal error
// (VMMSIM_VERIFY, the invariants of core/invariants.cpp) or an exception of another type is a bug.
//
// Every body and callback reads its next operation from one shared cursor. Runs are deterministic,
// so the same bytes always make the same calls in the same order.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "api_program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vmmsim::fuzz::run_api_program(data, size);
  return 0;
}
