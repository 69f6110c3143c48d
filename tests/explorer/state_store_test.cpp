// state_store_test.cpp: the state store of explore --prove (src/explorer/state_store.cpp): each
// fingerprint is stored once, the table doubles in place without losing one, the all-zero
// fingerprint (its empty mark) is a state like any other, and a full store says so. A child process
// sees and adds to the same table.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "explorer/state_store.hpp"

namespace vmmsim::explorer {
namespace {

Fingerprint nth(std::uint64_t i) { return {i * 0x9E3779B97F4A7C15ULL, i}; }

TEST(StateStore, StoresEachStateOnceAcrossGrowth) {
  StateStore store(100000);
  std::uint64_t first_slots = store.slots();
  for (std::uint64_t i = 1; i <= 50000; ++i) ASSERT_EQ(store.insert(nth(i)), StateStore::Insert::added) << i;
  EXPECT_GT(store.slots(), first_slots);
  EXPECT_LE(store.size() * 4, store.slots() * 3);
  for (std::uint64_t i = 1; i <= 50000; ++i) ASSERT_EQ(store.insert(nth(i)), StateStore::Insert::seen) << i;
  EXPECT_EQ(store.size(), 50000u);
  EXPECT_EQ(store.bytes(), store.slots() * 16);
}

TEST(StateStore, TheZeroFingerprintIsAState) {
  StateStore store(10);
  EXPECT_EQ(store.insert({0, 0}), StateStore::Insert::added);
  EXPECT_EQ(store.insert({0, 0}), StateStore::Insert::seen);
  EXPECT_EQ(store.size(), 1u);
}

TEST(StateStore, AFullStoreStillMatchesButAddsNothing) {
  StateStore store(3);
  for (std::uint64_t i = 1; i <= 3; ++i) EXPECT_EQ(store.insert(nth(i)), StateStore::Insert::added);
  EXPECT_EQ(store.insert(nth(4)), StateStore::Insert::full);
  EXPECT_EQ(store.insert(nth(2)), StateStore::Insert::seen);
  EXPECT_EQ(store.size(), 3u);
}

TEST(StateStore, AChildProcessSharesTheTable) {
  StateStore store(1000);
  store.insert(nth(1));
  pid_t pid = fork();
  if (pid == 0) _exit(store.insert(nth(1)) == StateStore::Insert::seen && store.insert(nth(2)) == StateStore::Insert::added ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(store.insert(nth(2)), StateStore::Insert::seen);
  EXPECT_EQ(store.size(), 2u);
}

TEST(StateStore, ACapacityOutOfRangeIsRefused) {
  EXPECT_THROW(StateStore(0), std::invalid_argument);
  EXPECT_THROW(StateStore((std::uint64_t{1} << 36) + 1), std::invalid_argument);
}

}  // namespace
}  // namespace vmmsim::explorer
