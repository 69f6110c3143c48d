// timers_test.cpp: the virtual clock and the timer queue (src/clock/timers.hpp; model.md section 6:
// items due at the same instant fire one at a time in creation order).
#include <gtest/gtest.h>

#include <vector>

#include "clock/timers.hpp"

namespace vmmsim::detail {
namespace {

TEST(Timers, DueItemsComeInDueThenCreationOrderAndOnlyOnceTheirTimeHasCome) {
  Timers clock;
  Timer late, first, second;
  clock.arm(late, 30, clock.next_seq());
  clock.arm(second, 10, 5);
  clock.arm(first, 10, 4);
  std::vector<Timer*> due;
  clock.due_now(due);
  EXPECT_TRUE(due.empty()) << "nothing is due at 0";
  EXPECT_EQ(clock.next_due(), 10);
  clock.advance_to(10);
  clock.due_now(due);
  ASSERT_EQ(due.size(), 2u) << "only the items of the first due instant";
  EXPECT_EQ(due[0], &first);
  EXPECT_EQ(due[1], &second);
  clock.disarm(first);
  clock.disarm(second);
  EXPECT_EQ(clock.next_due(), 30);
  clock.disarm(late);
}

TEST(Timers, ADisarmedItemIsGoneSoNothingStaleIsEverDue) {
  Timers clock;
  Timer t;
  clock.arm(t, 5, clock.next_seq());
  EXPECT_TRUE(t.armed());
  clock.disarm(t);
  EXPECT_FALSE(t.armed());
  EXPECT_EQ(clock.next_due(), Timers::kNever);
  clock.disarm(t);  // disarming twice is harmless (a cancelled event's timer)
  clock.advance_to(5);
  std::vector<Timer*> due;
  clock.due_now(due);
  EXPECT_TRUE(due.empty());
}

TEST(Timers, OneShotItemsAreCountedAndPeriodicOnesAreNot) {
  Timers clock;
  Timer once, periodic;
  periodic.one_shot = false;
  clock.arm(once, 5, clock.next_seq());
  clock.arm(periodic, 5, clock.next_seq());
  EXPECT_EQ(clock.one_shots_armed(), 1u);
  clock.disarm(once);
  EXPECT_EQ(clock.one_shots_armed(), 0u);
  clock.disarm(periodic);
}

TEST(Timers, TheClockNeverGoesBack) {
  Timers clock;
  clock.advance_to(100);
  clock.advance_to(50);
  EXPECT_EQ(clock.now_us(), 100);
}

TEST(TimersDeathTest, ArmingAnArmedItemIsAnInternalError) {
  Timers clock;
  Timer t;
  clock.arm(t, 5, 1);
  EXPECT_DEATH(clock.arm(t, 6, 2), "internal error.*armed twice");
  clock.disarm(t);
}

}  // namespace
}  // namespace vmmsim::detail
