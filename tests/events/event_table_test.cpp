// event_table_test.cpp: generation-counted event handles (src/events/event_table.hpp; model.md
// section 3, "Cancel": a handle whose event already ran or was cancelled is stale, even after its
// slot is reused).
#include <gtest/gtest.h>

#include "events/event_table.hpp"

namespace vmmsim::detail {
namespace {

TEST(EventTable, HandlesAreNeverZeroAndFindTheirEvent) {
  EventTable t;
  Event* a = t.alloc(10);
  Event* b = t.alloc(20);
  EXPECT_NE(a->handle, 0u);
  EXPECT_NE(b->handle, a->handle);
  EXPECT_EQ(t.lookup(a->handle), a);
  EXPECT_EQ(t.lookup(b->handle), b);
  EXPECT_EQ(a->queued_at_us, 10);
  EXPECT_EQ(b->seq, a->seq + 1);
  EXPECT_EQ(t.live(), 2u);
}

TEST(EventTable, AReleasedHandleIsStaleEvenWhenItsSlotIsReused) {
  EventTable t;
  Event* a = t.alloc(0);
  EVENTHANDLE old = a->handle;
  t.release(a);
  EXPECT_EQ(t.lookup(old), nullptr);
  EXPECT_EQ(t.live(), 0u);
  Event* again = t.alloc(0);
  EXPECT_EQ(again, a) << "the slot is reused";
  EXPECT_EQ(again->handle & 0xFFFFFFFFu, old & 0xFFFFFFFFu);
  EXPECT_NE(again->handle, old) << "with a new generation";
  EXPECT_EQ(t.lookup(old), nullptr);
  EXPECT_EQ(t.lookup(again->handle), again);
}

TEST(EventTable, HandlesNeverIssuedAreNotFound) {
  EventTable t;
  EXPECT_EQ(t.lookup(0), nullptr);
  EXPECT_EQ(t.lookup(1), nullptr);
  Event* a = t.alloc(0);
  EXPECT_EQ(t.lookup(a->handle + 1), nullptr);
  EXPECT_EQ(t.lookup(a->handle ^ (1ULL << 40)), nullptr);  // right slot, wrong generation
}

TEST(EventTableDeathTest, ReleasingAnEventStillQueuedIsAnInternalError) {
  EventTable t;
  Event* a = t.alloc(0);
  EventList list;
  list.push_back(*a);
  EXPECT_DEATH(t.release(a), "internal error.*released while still queued");
  list.clear();
}

}  // namespace
}  // namespace vmmsim::detail
