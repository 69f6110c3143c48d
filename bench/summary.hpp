// summary.hpp: the one table `make bench` ends with: each figure beside its baseline measured in
// the same run, the ratio, the target and whether it is met.
#pragma once

#include "instruction_counts.hpp"
#include "results.hpp"

namespace vmmsim::bench {

void print_summary(const Results& results, const InstructionCounts& counts);

}  // namespace vmmsim::bench
