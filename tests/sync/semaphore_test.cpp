// semaphore_test.cpp: Create_Semaphore / Wait_Semaphore / Signal_Semaphore (model.md section 5, DDK).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 5: Wait_Semaphore "blocks when the count would go below 0"
TEST(Semaphore, WaitTakesTokensWithoutBlockingThenBlocksWhenNoneAreLeft) {
  Machine m;
  Trace tr;
  SEMHANDLE s = 0;
  m.create_thread("A", [&] {
    s = Create_Semaphore(2);
    Wait_Semaphore(s, 0);
    Wait_Semaphore(s, 0);
    tr("two tokens");
    Wait_Semaphore(s, 0);
    tr("third");
  });
  m.at(5, [&] { Signal_Semaphore(s); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"two tokens@0", "third@5"}));
}

// DDK Wait_Semaphore: "If tokens <= 0 block, else decrement": a signal with no waiter adds a token
TEST(Semaphore, SignalWithoutWaitersAddsAToken) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    SEMHANDLE s = Create_Semaphore(0);
    Signal_Semaphore(s);
    Wait_Semaphore(s, 0);
    tr("took it");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"took it@0"}));
}

// model.md section 5: Signal_Semaphore "wakes the highest-priority waiter, FIFO among equals"
TEST(Semaphore, SignalWakesHighestPriorityWaiterFirstFifoAmongEquals) {
  Machine m;
  Trace tr;
  SEMHANDLE s = 0;
  // Wlate is created before Wearly but starts waiting after it.
  m.create_thread("Wlate", [&] { _BlockOnID(5, 0); Wait_Semaphore(s, 0); tr("Wlate"); }, 0x100);
  m.create_thread("Wearly", [&] { Wait_Semaphore(s, 0); tr("Wearly"); }, 0x100);
  m.create_thread("Whigh", [&] { s = Create_Semaphore(0); Wait_Semaphore(s, 0); tr("Whigh"); }, 0x200);
  m.create_thread("S", [&] {
    _SignalID(5);
    ring3(1);
    for (int i = 0; i < 3; ++i) {
      Signal_Semaphore(s);
      ring3(1);
    }
  }, 0);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"Whigh@1", "Wearly@2", "Wlate@3"}));
}

// model.md section 2: "Block_Svc_Ints" works for every blocking service (they "share one mechanism")
TEST(Semaphore, WaitWithBlockSvcIntsServicesEvents) {
  Machine m;
  Trace tr;
  SEMHANDLE s = 0;
  THREADHANDLE W = m.create_thread("W", [&] { s = Create_Semaphore(0); Wait_Semaphore(s, Block_Svc_Ints); tr("W woke"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); Signal_Semaphore(s); }, 0x100);
  m.at(3, [&] { Schedule_Thread_Event(W, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on W@3", "W woke@10"}));
}

// model.md section 5: Signal_Semaphore "wakes the highest-priority waiter": its priority now,
// boosts included (model.md section 1: priority = base + boosts)
TEST(Semaphore, SignalWakesTheWaiterWithTheHighestCurrentPriorityBoostsIncluded) {
  Machine m;
  Trace tr;
  SEMHANDLE s = 0;
  THREADHANDLE W2 = nullptr;
  m.create_thread("W1", [&] { s = Create_Semaphore(0); Wait_Semaphore(s, 0); tr("W1"); }, 0x100);
  W2 = m.create_thread("W2", [&] { cli(); Wait_Semaphore(s, 0); sti(); tr("W2"); ring3(1); }, 0x100);
  m.create_thread("S", [&] {
    // A pending thread event for W2 (it cannot run: W2's IF is clear) holds a boost on W2.
    Call_Restricted_Event(Low_Pri_Device_Boost, W2, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0,
                          [&](const EventContext&) { tr("W2 event"); });
    Signal_Semaphore(s);
    ring3(1);
    Signal_Semaphore(s);
    ring3(1);
  }, 0);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"W2@0", "W2 event@0", "W1@2"}));  // W2 runs 0-1, S 1-2
}
// Issue #10 item 3: a VxD creates its semaphores at Device_Init, before any thread runs.
TEST(Semaphore, MayBeCreatedAtSetUpTimeAndNotAfterTheRun) {
  Machine m;
  Trace tr;
  SEMHANDLE s = m.create_semaphore(1);
  m.create_thread("A", [&] {
    Wait_Semaphore(s, 0);
    tr("took the token");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"took the token@0"}));
  EXPECT_EQ(error_of([&] { m.create_semaphore(1); }), "Create_Semaphore: the run is over");
}

}  // namespace
}  // namespace vmmsim::test
