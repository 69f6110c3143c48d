// block_id_table_test.cpp: the block ID table (src/sync/block_id_table.hpp): every ID found again,
// states that never move as the table grows, and first-use order.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sync/block_id_table.hpp"

namespace vmmsim::detail {
namespace {

struct State {
  int value = 0;
};

TEST(BlockIdTable, AnIdNeverUsedIsNotFound) {
  BlockIdTable<State> t;
  EXPECT_EQ(t.find(7), nullptr);
  t[7].value = 1;
  EXPECT_EQ(t.find(8), nullptr);
}

TEST(BlockIdTable, FirstUseCreatesTheStateAndLaterUsesFindTheSameOne) {
  BlockIdTable<State> t;
  State& s = t[0];  // 0 is an ID like any other
  s.value = 42;
  EXPECT_EQ(&t[0], &s);
  EXPECT_EQ(t.find(0), &s);
  EXPECT_EQ(t.find(0)->value, 42);
}

TEST(BlockIdTable, StatesKeepTheirAddressesWhileTheTableGrows) {
  BlockIdTable<State> t;
  std::vector<std::pair<BlockId, State*>> made;
  // Multiples of 2^32 and neighbours: IDs whose low bits agree, the case a weak hash would cluster.
  for (std::uint64_t i = 0; i < 5000; ++i) {
    BlockId id = (i << 32) ^ (i & 3);
    State& s = t[id];
    s.value = static_cast<int>(i);
    made.push_back({id, &s});
  }
  for (const auto& [id, s] : made) {
    EXPECT_EQ(t.find(id), s);
    EXPECT_EQ(&t[id], s);
  }
  std::size_t n = 0;
  t.for_each([&](State& s) { EXPECT_EQ(&s, made[n++].second) << "for_each is in first-use order"; });
  EXPECT_EQ(n, made.size());
  std::size_t with_id = 0;
  t.for_each_with_id([&](BlockId id, State& s) {
    EXPECT_EQ(t.find(id), &s);
    ++with_id;
  });
  EXPECT_EQ(with_id, made.size());
}

TEST(BlockIdTable, TheLargestIdIsFound) {
  BlockIdTable<State> t;
  t[~0ULL].value = 5;
  ASSERT_NE(t.find(~0ULL), nullptr);
  EXPECT_EQ(t.find(~0ULL)->value, 5);
}

}  // namespace
}  // namespace vmmsim::detail
