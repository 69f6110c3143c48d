// coverage_test.cpp: Coverage (src/explorer/coverage.hpp) on traces written by hand: complete()
// says the traces added are the whole schedule tree, which is when random and pct stop (issue 16
// item 4).
#include <gtest/gtest.h>

#include "explorer/coverage.hpp"

namespace vmmsim::explorer {
namespace {

Trace trace(std::vector<std::uint32_t> counts, std::vector<std::uint32_t> taken) {
  Trace t;
  t.counts = std::move(counts);
  t.taken = std::move(taken);
  t.kinds.assign(t.counts.size(), ChoiceKind::event_order);
  return t;
}

TEST(Coverage, ARunWithoutChoicePointsIsTheWholeSpace) {
  Coverage c;
  EXPECT_FALSE(c.complete());  // nothing ran yet
  c.add(trace({}, {}));
  EXPECT_TRUE(c.complete());
}

TEST(Coverage, CompleteOnlyOnceEveryBranchOfEveryNodeMetWasTaken) {
  // A root of 2 options; option 0 leads to a node of 3, option 1 ends the run.
  Coverage c;
  c.add(trace({2, 3}, {0, 0}));
  c.add(trace({2, 3}, {0, 2}));
  c.add(trace({2}, {1}));
  EXPECT_FALSE(c.complete()) << "option 1 of the second node was never taken";
  c.add(trace({2, 3}, {0, 2}));  // a schedule run again changes nothing
  EXPECT_FALSE(c.complete());
  c.add(trace({2, 3}, {0, 1}));
  EXPECT_TRUE(c.complete());
  EXPECT_EQ(c.points(), 2u);
  EXPECT_EQ(c.covered(), c.options());
}

TEST(Coverage, ANewNodeBelowATakenOptionReopensTheSpace) {
  Coverage c;
  c.add(trace({2}, {0}));
  c.add(trace({2, 2}, {1, 0}));  // option 1 leads to a node not met before
  EXPECT_FALSE(c.complete());
  c.add(trace({2, 2}, {1, 1}));
  EXPECT_TRUE(c.complete());
}

TEST(Coverage, ANodeWithMoreThanSixtyFourOptionsIsNeverComplete) {
  // Its options past the 64th are not told apart, so it cannot be known covered.
  Coverage c;
  for (std::uint32_t i = 0; i < 70; ++i) c.add(trace({70}, {i}));
  EXPECT_FALSE(c.complete());
}

}  // namespace
}  // namespace vmmsim::explorer
