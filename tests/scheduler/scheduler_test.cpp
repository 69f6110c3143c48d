// scheduler_test.cpp: the scheduler rule of seed 000 and model.md section 2: strict priorities,
// switches only at processing points, ties, time slices, the idle thread.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// seed 000: "the scheduler chooses the highest-priority thread in the system which satisfies ..."
TEST(Scheduler, HighestPriorityThreadRunsFirst) {
  Machine m;
  Trace tr;
  m.create_thread("L", [&] { tr("L"); }, 0);
  m.create_thread("M", [&] { tr("M"); }, 0x10);
  m.create_thread("H", [&] { tr("H"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"H@0", "M@0", "L@0"}));
}

// model.md section 2, Ties: "threads that have not run yet go in creation order"
TEST(Scheduler, EqualPrioritiesThatHaveNotRunGoInCreationOrder) {
  Machine m;
  Trace tr;
  m.create_thread("C1", [&] { tr("C1"); }, 0x10);
  m.create_thread("C2", [&] { tr("C2"); }, 0x10);
  m.create_thread("C3", [&] { tr("C3"); }, 0x10);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"C1@0", "C2@0", "C3@0"}));
}

// model.md section 2: "a wake-up ... takes effect there [at a processing point], not in the middle
// of the service that caused it"
TEST(Scheduler, WakeUpOfHigherPriorityThreadTakesEffectAtNextProcessingPoint) {
  Machine m;
  Trace tr;
  m.create_thread("H", [&] { _BlockOnID(1, 0); tr("H woke"); }, 0x200);
  m.create_thread("L", [&] {
    tr("L signals");
    _SignalID(1);
    tr("L after signal");
    ring3(2);
    tr("L done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"L signals@0", "L after signal@0", "H woke@0", "L done@2"}));
}

// model.md section 2: "A priority change ... takes effect there, not in the middle of the service"
TEST(Scheduler, PriorityRaiseTakesEffectAtNextProcessingPoint) {
  Machine m;
  Trace tr;
  THREADHANDLE B = nullptr;
  m.create_thread("A", [&] {
    Adjust_Thread_Exec_Priority(0x100, B);
    tr("A after adjust");
    ring3(3);
    tr("A done");
  }, 0x100);
  B = m.create_thread("B", [&] { tr("B"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A after adjust@0", "B@0", "A done@3"}));
}

// model.md section 2: "A thread preempts the running one only if its priority is strictly higher."
TEST(Scheduler, EqualPriorityDoesNotPreemptAtProcessingPoint) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] { _BlockOnID(1, 0); tr("A woke"); }, 0x100);
  m.create_thread("B", [&] {
    _SignalID(1);
    ring3(5);  // a processing point with A ready at the same priority, but inside B's first slice
    tr("B done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"B done@5", "A woke@5"}));
}

// model.md section 2: a lower-priority thread never preempts, even after a long wait under starve_ms
TEST(Scheduler, LowerPriorityReadyThreadWaitsForHigherToFinish) {
  Machine m;
  Trace tr;
  m.create_thread("L", [&] { tr("L"); }, 0x100);
  m.create_thread("H", [&] { ring3(30); ring3(30); tr("H done"); }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"H done@60", "L@60"}));
}

// model.md section 2, Time slicing: "the CPU rotates every time_slice ms (default 20) while the
// running thread executes ring-3 code"
TEST(Scheduler, TimeSliceRotatesEqualPrioritiesEvery20msOfRing3) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] { tr("A start"); ring3(50); tr("A done"); }, 0x100);
  m.create_thread("B", [&] { tr("B start"); ring3(50); tr("B done"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  // A 0-20, B 20-40, A 40-60, B 60-80, A 80-90 (done), B 90-100 (done).
  EXPECT_EQ(tr.lines, (Lines{"A start@0", "B start@20", "A done@90", "B done@100"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 100);
}

// model.md section 2: time_slice is configurable (Config::time_slice_ms)
TEST(Scheduler, TimeSliceLengthFollowsConfig) {
  Machine m(Config{.time_slice_ms = 5, .starve_ms = 1000, .max_time_ms = 60000});
  Trace tr;
  m.create_thread("A", [&] { ring3(12); tr("A done"); }, 0);
  m.create_thread("B", [&] { tr("B start"); ring3(3); tr("B done"); }, 0);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  // A 0-5, B 5-8 (done), A 8-15 (its new slice would end at 13, but no one is waiting any more).
  EXPECT_EQ(tr.lines, (Lines{"B start@5", "B done@8", "A done@15"}));
}

// model.md section 2: "a slice that runs out exactly as a ring3 call ends rotates at the thread's
// next entry to ring 3"
TEST(Scheduler, SliceEndingExactlyAsRing3EndsRotatesAtNextRing3Entry) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    ring3(20);
    tr("A between");
    ring3(10);
    tr("A done");
  }, 0x100);
  m.create_thread("B", [&] { tr("B start"); ring3(10); tr("B done"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A between@20", "B start@20", "B done@30", "A done@40"}));
}

// model.md section 2: a slice is counted from the switch and "ends only while an equal-priority
// eligible thread is waiting": a thread that ran past its slice alone is rotated as soon as one is
TEST(Scheduler, SliceOverrunEndsWhenEqualPriorityThreadBecomesEligible) {
  Machine m;
  Trace tr;
  m.create_thread("B", [&] { _BlockOnID(1, 0); tr("B woke"); ring3(5); tr("B done"); }, 0x100);
  m.create_thread("A", [&] { ring3(50); tr("A done"); }, 0x100);
  m.at(30, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"B woke@30", "B done@35", "A done@55"}));
}

// model.md section 2: equal-priority rotation covers "blocked-servicing ones with processable
// events alike"
TEST(Scheduler, TimeSliceRotatesToEqualPriorityBlockedServicingThread) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); tr("B woke"); }, 0x100);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Always_Sched, 0,
                          [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(50);
    tr("A done");
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"cb on B@20", "A done@50", "B woke@50"}));
}

// model.md section 2: "A thread inside a nested execution block is never rotated away for an
// equal-priority thread"
TEST(Scheduler, NoTimeSlicingInsideNestedExecution) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Begin_Nest_Exec();
    Resume_Exec(50);
    End_Nest_Exec();
    tr("A done");
  }, 0x100);
  m.create_thread("B", [&] { tr("B start"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A done@50", "B start@50"}));
}

// model.md section 2: time slicing happens "while the running thread executes ring-3 code (ring3)";
// a simulated hardware interrupt (hw_int) is not sliced
TEST(Scheduler, NoTimeSlicingInsideSimulatedHardwareInterrupt) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] { hw_int(50); tr("A done"); }, 0x100);
  m.create_thread("B", [&] { tr("B start"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A done@50", "B start@50"}));
}

// model.md section 2, Ties: "among eligible threads of equal priority, the one least recently
// switched to goes first" (not the one that has waited longest)
TEST(Scheduler, TiesGoToLeastRecentlySwitchedNotLongestWaiting) {
  Machine m;
  Trace tr;
  m.create_thread("X", [&] { _BlockOnID(1, 0); tr("X"); }, 0x100);  // switched to at 0, blocks
  m.create_thread("Y", [&] { ring3(30); tr("Y"); }, 0x100);         // switched to at 0, rotated at 20
  m.create_thread("Z", [&] { ring3(40); tr("Z"); }, 0x100);         // switched to at 20
  m.at(25, [] { _SignalID(1); });                                   // X waits from 25, Y from 20
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  // At Z's slice end (40) X (last switched to at 0) goes before Y (last switched to at 0, later).
  EXPECT_EQ(tr.lines, (Lines{"X@40", "Y@50", "Z@70"}));
}

// model.md section 1: the idle thread "runs only when no other thread can, whatever their priorities"
TEST(Scheduler, IdleThreadRunsOnlyWhenNoOtherThreadCan) {
  Machine m;
  Trace tr;
  m.create_vm("V", [&] { ring3(10); tr("V done"); }, 0);
  m.at(2, [&] {
    // The boost lifts the System VM (and so its idle thread) above V, yet V keeps the CPU.
    Call_Priority_VM_Event(Low_Pri_Device_Boost, Get_Sys_VM_Handle(), 0, 0,
                           [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"V done@10", "cb on sys@10"})) << r.message;
}

// seed 000: "(Is blocked servicing events) and (contains events which have met the restrictions)":
// such a thread is scheduled like a ready one and preempts a lower-priority thread
TEST(Scheduler, BlockedServicingThreadWithProcessableEventPreemptsLowerPriority) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); tr("B woke"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); tr("A ring3 done"); _SignalID(1); }, 0x100);
  m.at(3, [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"cb on B@3", "A ring3 done@10", "B woke@10"}));
}

// seed 000: a thread blocked without Blk_Svc_Ints is not "blocked servicing events": its event
// waits until it wakes and reaches a processing point
TEST(Scheduler, BlockedThreadWithoutServicingFlagsIsNotScheduledForEvents) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); tr("B woke"); ring3(1); tr("B done"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); _SignalID(1); }, 0x100);
  m.at(3, [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"B woke@10", "cb on B@10", "B done@11"}));
}

// seed 000: "event processing is secondary to the scheduler": an event whose restrictions hold is
// not processed while its thread is not chosen
TEST(Scheduler, EventForLowerPriorityReadyThreadWaitsForTheScheduler) {
  Machine m;
  Trace tr;
  THREADHANDLE L = m.create_thread("L", [&] { ring3(1); tr("L done"); }, 0x100);
  m.create_thread("H", [&] {
    Call_Restricted_Event(0, L, PEF_Thread_Event, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(10);
    tr("H done");
  }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"H done@10", "cb on L@10", "L done@11"}));
}

// model.md section 2: "The rotation is the scheduler's own: no Cur_Run_VM_Boost shows in any priority."
TEST(Scheduler, RotationShowsNoCurRunVmBoostInAnyPriority) {
  Machine m;
  std::vector<Priority> seen;
  THREADHANDLE A = nullptr, B = nullptr;
  A = m.create_thread("A", [&] { ring3(30); }, 0x100);
  B = m.create_thread("B", [&] { ring3(30); }, 0x100);
  m.every(5, [&] {
    seen.push_back(thread_priority(A));
    seen.push_back(thread_priority(B));
    seen.push_back(vm_priority(thread_vm(A)));
  }, 11);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  ASSERT_EQ(seen.size(), 33u);
  for (std::size_t i = 0; i < seen.size(); i += 3) {
    EXPECT_EQ(seen[i], 0x100);
    EXPECT_EQ(seen[i + 1], 0x100);
    EXPECT_EQ(seen[i + 2], 0);
  }
}

// machine.hpp: create_thread is "allowed ... from a running thread, during it"; the new thread is
// scheduled by the same rule, at the creator's next processing point
TEST(Scheduler, ThreadCreatedDuringTheRunIsScheduledAtTheNextProcessingPoint) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    current_machine()->create_thread("N", [&] { tr("N runs"); }, 0x200);
    tr("A created N");
    ring3(2);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A created N@0", "N runs@0", "A done@2"}));
}
}  // namespace
}  // namespace vmmsim::test

namespace vmmsim::test {
namespace {

// Issue #10 item 1 (model.md section 1: the idle thread runs only when no other thread can): an
// event queued at interrupt time while sys idles goes to the eligible thread, not to sys.
TEST(Scheduler, TheIdleThreadLeavesAVmEventToAnEligibleBlockedThreadThatOutranksIt) {
  Trace tr;
  Machine m;
  m.create_thread("B", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x107);
  m.at(5, [&] {
    Schedule_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext& e) { tr("ran on " + name(e.thread)); _SignalID(1); }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"ran on B@5"}));
}

TEST(Scheduler, TheIdleThreadLeavesAGlobalEventToAThreadOfAnyVm) {
  Trace tr;
  Machine m;
  m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x107);
  m.at(5, [&] {
    Schedule_Global_Event([&](const EventContext& e) { tr("ran on " + name(e.thread)); _SignalID(1); }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"ran on V@5"}));
}

TEST(Scheduler, TheIdleThreadLeavesAPriorityVmEventToTheBoostedVmsThread) {
  Trace tr;
  Machine m;
  m.create_thread("B", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x107);
  m.at(5, [&] {
    Call_Priority_VM_Event(Low_Pri_Device_Boost, Get_Sys_VM_Handle(), PEF_Always_Sched, 0,
                           [&](const EventContext& e) { tr("ran on " + name(e.thread)); _SignalID(1); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"ran on B@5"}));
}

TEST(Scheduler, TheIdleThreadRunsAnEventWhenNoOtherThreadCan) {
  Trace tr;
  Machine m;
  m.create_thread("B", [] { _BlockOnID(1, 0); }, 0x107);  // blocked without servicing: not eligible
  m.at(5, [&] {
    Schedule_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext& e) { tr("ran on " + name(e.thread)); _SignalID(1); }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"ran on sys@5"}));
}

}  // namespace
}  // namespace vmmsim::test
