// instruction_counts.hpp: instructions per operation, counted by valgrind --tool=callgrind on
// vmmsim_count. Unlike times, counts do not vary with the load of a shared machine.
#pragma once

#include <map>
#include <string>

namespace vmmsim::bench {

struct InstructionCounts {
  std::string error;                       // non-empty: why nothing was counted (no valgrind...)
  std::map<std::string, double> per_op;    // mode of vmmsim_count -> instructions per operation
};

// count_instructions: runs every mode of vmmsim_count (found beside this program) under callgrind.
InstructionCounts count_instructions();

}  // namespace vmmsim::bench
