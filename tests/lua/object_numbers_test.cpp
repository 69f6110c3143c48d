// object_numbers_test.cpp: the numbering of the objects a fingerprint meets (object_numbers.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "object_numbers.hpp"

namespace vmmsim::lua::test {
namespace {

TEST(ObjectNumbers, NumbersObjectsInTheOrderFirstMet) {
  int a = 0, b = 0, c = 0;
  ObjectNumbers n;
  EXPECT_EQ(n.number(&a), ObjectNumbers::kNew);
  EXPECT_EQ(n.number(&b), ObjectNumbers::kNew);
  EXPECT_EQ(n.number(&a), 0u);
  EXPECT_EQ(n.number(&c), ObjectNumbers::kNew);
  EXPECT_EQ(n.number(&b), 1u);
  EXPECT_EQ(n.number(&c), 2u);
  EXPECT_EQ(n.size(), 3u);
}

TEST(ObjectNumbers, ClearStartsTheNumbersAgain) {
  int a = 0, b = 0;
  ObjectNumbers n;
  n.number(&a);
  n.number(&b);
  n.clear();
  EXPECT_EQ(n.size(), 0u);
  EXPECT_EQ(n.number(&b), ObjectNumbers::kNew);
  EXPECT_EQ(n.number(&b), 0u);
  EXPECT_EQ(n.number(&a), ObjectNumbers::kNew);
  EXPECT_EQ(n.number(&a), 1u);
}

TEST(ObjectNumbers, KeepsEveryNumberAcrossGrowth) {
  std::vector<long> objects(5000);
  ObjectNumbers n;
  for (long& o : objects) EXPECT_EQ(n.number(&o), ObjectNumbers::kNew);
  for (std::size_t i = 0; i < objects.size(); ++i) EXPECT_EQ(n.number(&objects[i]), i);
}

}  // namespace
}  // namespace vmmsim::lua::test
