// stack_pool_test.cpp: the fiber stack pool (src/fiber/stack_pool.hpp): distinct usable stacks across
// chunks, reuse after release, and the canary below each stack.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

#include "fiber/stack_pool.hpp"

namespace vmmsim::detail {
namespace {

TEST(StackPool, StacksAcrossChunksAreDistinctWritableAndKeepTheirCanary) {
  StackPool pool;
  std::vector<void*> stacks;
  std::set<std::uintptr_t> seen;
  for (std::size_t i = 0; i < StackPool::kStacksPerChunk + 3; ++i) {  // crosses into a second chunk
    void* s = pool.allocate();
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(seen.insert(reinterpret_cast<std::uintptr_t>(s)).second) << "stack " << i << " handed out twice";
    auto* bytes = static_cast<unsigned char*>(s);
    bytes[0] = 0xAB;                                // its lowest byte
    bytes[StackPool::kUsableSize - 1] = 0xCD;       // and its highest
    stacks.push_back(s);
  }
  for (std::size_t i = 0; i + 1 < stacks.size(); ++i) {
    auto a = reinterpret_cast<std::uintptr_t>(stacks[i]), b = reinterpret_cast<std::uintptr_t>(stacks[i + 1]);
    EXPECT_GE(a > b ? a - b : b - a, StackPool::kUsableSize) << "stacks " << i << " and " << i + 1 << " overlap";
  }
  for (void* s : stacks) EXPECT_TRUE(StackPool::canary_intact(s));  // writing the top touched no canary
}

TEST(StackPool, AReleasedStackIsHandedOutAgain) {
  StackPool pool;
  void* a = pool.allocate();
  void* b = pool.allocate();
  pool.release(a);
  EXPECT_EQ(pool.allocate(), a);
  EXPECT_NE(pool.allocate(), b);
}

TEST(StackPool, TheCanaryShowsAnOverrunBelowTheStack) {
  StackPool pool;
  void* s = pool.allocate();
  ASSERT_TRUE(StackPool::canary_intact(s));
  std::uint64_t junk = 0;
  std::memcpy(static_cast<unsigned char*>(s) - sizeof junk, &junk, sizeof junk);  // a fiber ran past its bottom
  EXPECT_FALSE(StackPool::canary_intact(s));
}

}  // namespace
}  // namespace vmmsim::detail
