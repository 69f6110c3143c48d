// diagnosis_test.cpp: what the stuck / starved diagnosis says (src/diag/diagnosis.cpp; model.md
// section 6): the failing restriction in the words of its table entry, and the waits.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

TEST(Diagnosis, NamesTheRestrictionThatHoldsAPendingEventBackInTheWordsOfItsTableEntry) {
  Machine m;
  m.create_thread("Owner", [] {
    Begin_Critical_Section(0);
    Call_Restricted_Event(0, nullptr, PEF_Wait_Not_Crit | PEF_Always_Sched, 0, [](const EventContext&) {});
    _BlockOnID(1, 0);
  }, 0x100);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "PEF_Wait_Not_Crit: the critical section is owned by Owner")) << r.message;
  EXPECT_TRUE(contains(r.message, "critical section: owned by Owner (1 claim)")) << r.message;
}

TEST(Diagnosis, NamesTheSemaphoreAndItsCountForAThreadBlockedOnIt) {
  Machine m;
  m.create_thread("W", [] { Wait_Semaphore(Create_Semaphore(0), 0); }, 1);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "blocked on Wait_Semaphore #1 (count 0)")) << r.message;
}

// DDK "Call_When_Not_Critical": each release runs only the most recently installed callback; one
// installed before a release it did not get is named as such.
TEST(Diagnosis, SaysWhyACallWhenNotCriticalCallbackDidNotRunAtARelease) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Begin_Critical_Section(0);
    Call_When_Not_Critical([&](const EventContext&) { tr("first"); }, 0);
    Call_When_Not_Critical([&](const EventContext&) { tr("second"); }, 0);
    End_Critical_Section();
  }, 1);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"second@0"}));
  EXPECT_TRUE(contains(r.message, "each release runs only the most recently installed callback")) << r.message;
}

// Issue #10: deadlock cycles named as cycles, across mutexes, semaphores with known holders and the
// critical section.
TEST(Diagnosis, NamesAMutexOrderingDeadlockAsACycle) {
  Machine m;
  MUTEXHANDLE m1 = m.create_mutex(0, 0), m2 = m.create_mutex(0, 0);
  // Each runs 30 ms holding its first mutex: the 20 ms slice lets the other take its own first.
  m.create_thread("A", [&] { _EnterMutex(m1, 0); ring3(30); _EnterMutex(m2, 0); }, 1);
  m.create_thread("B", [&] { _EnterMutex(m2, 0); ring3(30); _EnterMutex(m1, 0); }, 1);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "deadlock: A holds mutex #1 and waits for mutex #2; B holds mutex #2 and waits "
                                  "for mutex #1")) << r.message;
}

TEST(Diagnosis, NamesACycleThroughASemaphoreHolderAndTheCriticalSection) {
  Machine m;
  SEMHANDLE s = m.create_semaphore(1);
  // A takes the token and blocks; B takes the section and waits for the token; A, woken, waits
  // for the section.
  m.create_thread("A", [&] { Wait_Semaphore(s, 0); _BlockOnID(1, 0); Begin_Critical_Section(0); }, 1);
  m.create_thread("B", [&] { Begin_Critical_Section(0); _SignalID(1); Wait_Semaphore(s, 0); }, 1);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "deadlock: A holds semaphore #1 and waits for the critical section; B holds the "
                                  "critical section and waits for semaphore #1")) << r.message;
}

TEST(Diagnosis, NamesNoCycleWhenTheHolderIsNotWaiting) {
  Machine m;
  MUTEXHANDLE m1 = m.create_mutex(0, 0);
  m.create_thread("A", [&] { _EnterMutex(m1, 0); _BlockOnID(1, 0); }, 2);
  m.create_thread("B", [&] { _EnterMutex(m1, 0); }, 1);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_FALSE(contains(r.message, "deadlock")) << r.message;
  EXPECT_TRUE(contains(r.message, "blocked in _EnterMutex #1")) << r.message;
}

}  // namespace
}  // namespace vmmsim::test
