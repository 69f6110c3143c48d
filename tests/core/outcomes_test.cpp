// outcomes_test.cpp: how a run ends (model.md section 6): finished, error, stuck, starved, time
// limit, and what the stuck / starved diagnosis names.
#include <gtest/gtest.h>

#include <stdexcept>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 6: outcomes and exit codes "finished 0, error 1, stuck 3, starved 4, time limit 5"
TEST(Outcomes, ExitCodesAndNames) {
  EXPECT_EQ(exit_code(Outcome::finished), 0);
  EXPECT_EQ(exit_code(Outcome::error), 1);
  EXPECT_EQ(exit_code(Outcome::stuck), 3);
  EXPECT_EQ(exit_code(Outcome::starved), 4);
  EXPECT_EQ(exit_code(Outcome::time_limit), 5);
  EXPECT_EQ(outcome_name(Outcome::finished), "finished");
  EXPECT_EQ(outcome_name(Outcome::stuck), "stuck");
  EXPECT_EQ(outcome_name(Outcome::starved), "starved");
  EXPECT_EQ(outcome_name(Outcome::time_limit), "time_limit");
}

// model.md section 6: finished when "every scenario thread's body returned, no event or time-out is
// pending and no one-shot interrupt is still due"
TEST(Outcomes, FinishedWhenEveryBodyReturned) {
  Machine m;
  m.create_thread("A", [] { ring3(12.5); });
  m.create_vm("V", [] { ring3(2); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 14.5);
}

// model.md section 6: "periodic sources (vmm.every) do not keep a run alive"
TEST(Outcomes, PeriodicInterruptsDoNotKeepTheRunAlive) {
  Machine m;
  int ticks = 0;
  m.create_thread("A", [] { ring3(35); });
  m.every(10, [&] { ++ticks; });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 35);
  EXPECT_EQ(ticks, 3);
}

// model.md section 6: not finished while a "one-shot interrupt (vmm.at) is still due"
TEST(Outcomes, OneShotInterruptStillDueKeepsTheRunAlive) {
  Machine m;
  Trace tr;
  m.create_thread("A", [] {});
  m.at(50, [&] { tr("late irq"); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"late irq@50"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 50);
}

// model.md section 6: error on "a service misuse that the scenario did not catch"
TEST(Outcomes, UncaughtServiceMisuseInABodyIsAnError) {
  Machine m;
  bool after = false;
  m.create_thread("A", [&] {
    ring3(3);
    End_Critical_Section();
    after = true;
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_FALSE(after);
  EXPECT_TRUE(contains(r.message, "End_Critical_Section")) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 3);
}

// model.md section 6: stuck when "no thread but the idle one can run, the idle one has nothing to
// process, and nothing pending in time ... can change that, while work remains"
TEST(Outcomes, StuckWhenNoThreadCanRunAndNothingIsDue) {
  Machine m;
  m.create_thread("Waiter", [] { ring3(2); _BlockOnID(0x1234, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_DOUBLE_EQ(r.end_ms, 2);
  EXPECT_TRUE(starts_with(r.message, "stuck:")) << r.message;
  EXPECT_TRUE(contains(r.message, "Waiter")) << r.message;
  EXPECT_TRUE(contains(r.message, "_BlockOnID")) << r.message;
}

// model.md section 6: stuck "with only periodic interrupts left, after starve_ms of idle CPU"
TEST(Outcomes, StuckWithOnlyPeriodicInterruptsLeftAfterStarveMsOfIdleCpu) {
  Machine m(Config{.time_slice_ms = 20, .starve_ms = 250, .max_time_ms = 60000});
  int ticks = 0;
  m.create_thread("A", [] { ring3(100); _BlockOnID(1, 0); });
  m.every(10, [&] { ++ticks; });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck) << r.message;
  // Idle from 100 ms: stuck 250 ms later.
  EXPECT_DOUBLE_EQ(r.end_ms, 350);
  EXPECT_GE(ticks, 34);
  EXPECT_LE(ticks, 35);
}

// model.md section 6: stuck needs that "nothing pending in time ... can change that": a periodic
// interrupt may still wake the thread before starve_ms of idle CPU
TEST(Outcomes, PeriodicInterruptMayWakeABlockedThreadBeforeTheRunIsStuck) {
  Machine m;
  Trace tr;
  int ticks = 0;
  m.create_thread("A", [&] { _BlockOnID(1, 0); tr("A woke"); });
  m.every(10, [&] { if (++ticks == 30) _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A woke@300"}));
}

// model.md section 6: "A thread blocked on an ID that was signalled — with no thread woken by that
// signal — after the thread's previous wake-up and before it blocked is named a lost wake-up."
TEST(Outcomes, LostWakeUpIsNamedInTheStuckDiagnosis) {
  Machine m;
  m.create_thread("A", [] {
    _SignalID(1);  // the operation completed before A waited for it (seed 002's race)
    ring3(1);
    _BlockOnID(1, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_TRUE(contains(r.message, "lost wake-up")) << r.message;
}

// model.md section 6: only a signal "after the thread's previous wake-up" makes a lost wake-up
TEST(Outcomes, SignalBeforeThePreviousWakeUpIsNotALostWakeUp) {
  Machine m;
  m.create_thread("B", [] { _BlockOnID(2, 0); _BlockOnID(1, 0); }, 0x200);
  m.create_thread("A", [] {
    _SignalID(1);  // wakes no one; B is blocked on 2
    _SignalID(2);  // B's wake-up, after that signal
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_TRUE(contains(r.message, "B")) << r.message;
  EXPECT_FALSE(contains(r.message, "lost wake-up")) << r.message;
}

// seed 001: "passing a PriorityBoost greater than or equal to Critical_Section_Boost will prevent the
// event from ever satisfying its own restrictions"; model.md section 3: "the simulator warns when
// that happens, and a run left with it pending is stuck"
TEST(Outcomes, WaitNotCritWithBoostAtLeastCriticalSectionBoostIsNamedNeverSatisfiable) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  bool ran = false;
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(Critical_Section_Boost, V, PEF_Wait_Not_Crit, 0, [&](const EventContext&) { ran = true; });
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(contains(r.message, "PEF_Wait_Not_Crit")) << r.message;
  EXPECT_TRUE(contains(r.message, "never")) << r.message;
  bool warned = false;
  for (const auto& rec : sink.records)
    if (rec.kind == "warning" && contains(rec.text, "PEF_Wait_Not_Crit")) warned = true;
  EXPECT_TRUE(warned);
}

// Issue #10 item 4, seed 003 (PEF_Wait_Not_Time_Crit: "not called until the thread priority is below
// TIME_CRITICAL_BOOST"): an event whose own boost lifts its target to Time_Critical_Boost can never
// run, like PEF_Wait_Not_Crit with Critical_Section_Boost: warned when queued, named when stuck.
TEST(Outcomes, WaitNotTimeCritWithBoostAtLeastTimeCriticalBoostIsWarnedAndNamedNeverSatisfiable) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  bool ran = false;
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x200);
  m.create_thread("A", [&] {
    Call_Priority_VM_Event(Time_Critical_Boost, V, PEF_Wait_Not_Time_Crit | PEF_Always_Sched, 0,
                           [&](const EventContext&) { ran = true; });
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_FALSE(ran);
  EXPECT_TRUE(contains(r.message, "can never satisfy its own restriction: PEF_Wait_Not_HW_Int with boost 0x400000 "
                                  ">= Time_Critical_Boost (DDK \"Call_Priority_VM_Event\")")) << r.message;
  bool warned = false;
  for (const auto& rec : sink.records)
    if (rec.kind == "warning" && contains(rec.text, "PEF_Wait_Not_HW_Int with boost 0x400000 >= Time_Critical_Boost"))
      warned = true;
  EXPECT_TRUE(warned);
}

// model.md section 3: "can never run once its target's priority, counting every boost pending on it,
// reaches Critical_Section_Boost ...: the simulator warns when that happens"
TEST(Outcomes, WaitNotCritEventWhoseTargetReachesCriticalSectionBoostThroughPendingBoostsIsWarned) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, 0);  // V86: PEF_Wait_In_PM never holds
  m.create_thread("A", [&] {
    // Two pending boosts of half Critical_Section_Boost each: together they reach it.
    Call_Restricted_Event(Critical_Section_Boost / 2, V, PEF_Wait_In_PM, 0, [](const EventContext&) {});
    Call_Restricted_Event(Critical_Section_Boost / 2, V, PEF_Wait_Not_Crit, 0, [](const EventContext&) {});
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  bool warned = false;
  for (const auto& rec : sink.records)
    if (rec.kind == "warning" && contains(rec.text, "PEF_Wait_Not_Crit")) warned = true;
  EXPECT_TRUE(warned) << r.message;
}

// model.md section 3: an event "already pending when its target finishes leaves the run stuck
// ("target finished")"
TEST(Outcomes, PendingEventForAFinishedTargetLeavesTheRunStuck) {
  Machine m;
  bool ran = false;
  THREADHANDLE B = m.create_thread("B", [] { cli(); _BlockOnID(1, 0); }, 0x200);  // finishes with IF clear
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, [&](const EventContext&) { ran = true; });
    _SignalID(1);
    ring3(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(contains(r.message, "target finished")) << r.message;
}

// model.md section 6: starved when "a scenario thread able to run ... waited longer than starve_ms
// (default 1000) while others ran — strict-priority waits count"
TEST(Outcomes, StarvedWhenAReadyThreadWaitsLongerThanStarveMs) {
  Machine m;
  m.create_thread("Low", [] { ring3(1); }, 0x100);
  m.create_thread("High", [] { ring3(2000); }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::starved);
  EXPECT_GE(r.end_ms, 1000);
  EXPECT_LE(r.end_ms, 1000.001);
  EXPECT_TRUE(starts_with(r.message, "starved:")) << r.message;
  EXPECT_TRUE(contains(r.message, "Low")) << r.message;
  EXPECT_TRUE(contains(r.message, "High")) << r.message;
}

// model.md section 6: starvation counts the wait of a thread "able to run". A blocked thread that
// stopped being eligible when its only event was cancelled starts a new wait when it is woken later
// (regression: its old waiting_since was kept and the run ended starved at 1000 ms).
TEST(Outcomes, BlockedThreadsWaitStartsAgainAfterItsOnlyEventIsCancelled) {
  Machine m;
  THREADHANDLE B = nullptr;
  m.create_thread("H", [&] {
    _BlockOnID(9, 0);           // lets B run and block first
    EVENTHANDLE e = Schedule_Thread_Event(B, [](const EventContext&) {}, 0);  // B eligible from 0.5
    ring3(5);
    Cancel_Thread_Event(B, e);  // B can no longer run: its wait for the CPU ends
    ring3(600);
    _SignalID(1);               // B ready at 605.5: it waits from here
    ring3(600);                 // until 1205.5: 600 ms, not 1205 ms
  }, 2);
  B = m.create_thread("B", [] { _BlockOnID(1, Block_Svc_Ints); }, 1);
  m.at(0.5, [] { _SignalID(9); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 1205.5);
}

// model.md section 6: '"Longer than" is strict': a wait of exactly starve_ms is not starvation
TEST(Outcomes, WaitOfExactlyStarveMsIsNotStarvation) {
  Machine m;
  Trace tr;
  m.create_thread("Low", [&] { tr("Low runs"); }, 0x100);
  m.create_thread("High", [] { ring3(1000); }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"Low runs@1000"}));
}

// model.md section 6: starve_ms is the configured limit (vmm.config{starve_ms=})
TEST(Outcomes, StarveMsFollowsTheConfig) {
  Machine m(Config{.time_slice_ms = 20, .starve_ms = 50, .max_time_ms = 60000});
  m.create_thread("Low", [] {}, 0x100);
  m.create_thread("High", [] { ring3(50); ring3(10); }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::starved);
  EXPECT_GE(r.end_ms, 50);
  EXPECT_LE(r.end_ms, 50.001);
}

// model.md section 6: starved covers "blocked servicing with processable events" threads too
TEST(Outcomes, BlockedServicingThreadWithPendingEventCanStarve) {
  Machine m;
  THREADHANDLE B = m.create_thread("B", [] { _BlockOnID(1, Block_Svc_Ints); }, 0x100);
  m.create_thread("A", [&] {
    Schedule_Thread_Event(B, [](const EventContext&) {}, 0);
    ring3(1500);  // B, eligible since 0 at a lower priority, waits (a strict-priority wait)
    _SignalID(1);
  }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::starved);
  EXPECT_GE(r.end_ms, 1000);
  EXPECT_LE(r.end_ms, 1000.001);
  EXPECT_TRUE(contains(r.message, "B")) << r.message;
}

// model.md section 6: time limit when "max_time reached without any of the above"
TEST(Outcomes, TimeLimitWhenMaxTimeIsReached) {
  Machine m(Config{.time_slice_ms = 20, .starve_ms = 1000, .max_time_ms = 100});
  m.create_thread("A", [] { ring3(500); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::time_limit);
  EXPECT_EQ(exit_code(r.outcome), 5);
  EXPECT_DOUBLE_EQ(r.end_ms, 100);
}

// model.md section 6: the time limit comes first when it is reached before the periodic-only stuck rule
TEST(Outcomes, TimeLimitBeforePeriodicOnlyStuck) {
  Machine m(Config{.time_slice_ms = 20, .starve_ms = 1000, .max_time_ms = 500});
  m.create_thread("A", [] { _BlockOnID(1, 0); });
  m.every(10, [] {});
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::time_limit);
  EXPECT_DOUBLE_EQ(r.end_ms, 500);
}

// model.md section 3: "More than 100,000 callbacks at one virtual instant is a zero-time livelock:
// the run ends starved"
TEST(Outcomes, ZeroTimeLivelockOfMoreThan100000CallbacksIsStarved) {
  Machine m;
  std::int64_t calls = 0;
  std::function<void(const EventContext&)> again = [&](const EventContext&) {
    ++calls;
    Schedule_Global_Event(again, 0);
  };
  m.create_thread("A", [&] {
    Schedule_Global_Event(again, 0);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::starved);
  EXPECT_DOUBLE_EQ(r.end_ms, 0);
  EXPECT_GE(calls, 100000);
  EXPECT_LE(calls, 100001);
  EXPECT_TRUE(starts_with(r.message, "starved:")) << r.message;
  EXPECT_TRUE(contains(r.message, "livelock")) << r.message;
}

// model.md section 3: "More than 100,000" is strict: exactly 100,000 callbacks at one instant is fine
TEST(Outcomes, ExactlyOneHundredThousandCallbacksAtOneInstantIsNotALivelock) {
  Machine m;
  std::int64_t calls = 0;
  std::function<void(const EventContext&)> chain = [&](const EventContext&) {
    if (++calls < 100000) Schedule_Global_Event(chain, 0);
  };
  m.create_thread("A", [&] {
    Schedule_Global_Event(chain, 0);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(calls, 100000);
  EXPECT_DOUBLE_EQ(r.end_ms, 1);
}

// model.md section 6: the diagnosis names "who holds ... the critical section and at what priority,
// who waits on what, which restrictions of each pending event fail and why"
TEST(Outcomes, StuckDiagnosisNamesOwnerWaitersAndFailingRestrictions) {
  Machine m;
  m.create_thread("Owner", [] { Begin_Critical_Section(0); _BlockOnID(7, 0); }, 0x300);
  m.create_thread("Waiter", [] { Begin_Critical_Section(0); End_Critical_Section(); }, 0x200);
  m.create_vm("V", [] {
    // A VM event for V itself: only V (in V86 mode, blocked) could run it.
    Call_Restricted_Event(0, Get_Cur_VM_Handle(), PEF_Wait_In_PM | PEF_Always_Sched, 0, [](const EventContext&) {});
    _BlockOnID(8, 0);
  }, 0x100);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "Owner")) << r.message;
  EXPECT_TRUE(contains(r.message, "Waiter")) << r.message;
  EXPECT_TRUE(contains(r.message, "critical section")) << r.message;
  EXPECT_TRUE(contains(r.message, "0x100300")) << r.message;  // Owner's priority with its boost
  EXPECT_TRUE(contains(r.message, "PEF_Wait_In_PM")) << r.message;
}

// model.md section 6: error on "a Lua error or failed assertion" — in C++, any exception a body
// does not catch
TEST(Outcomes, UncaughtExceptionInABodyIsAnError) {
  Machine m;
  m.create_thread("Thrower", [] { ring3(2); throw std::runtime_error("driver bug 42"); });
  m.create_thread("Other", [] { ring3(100); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(contains(r.message, "driver bug 42")) << r.message;
  EXPECT_LT(r.end_ms, 100);
}

// model.md section 6: stuck only when "nothing pending in time (time-out, one-shot interrupt) can
// change that": a pending time-out is waited for first
TEST(Outcomes, StuckOnlyAfterAPendingTimeOutHasFired) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Set_Global_Time_Out(3000, [&](const EventContext&) { tr("time-out"); }, 0);
    _BlockOnID(1, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_EQ(tr.lines, (Lines{"time-out@3000"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 3000);
}
// model.md section 3: the target's priority "counting every boost pending on it": a thread event's
// boost lifts the VM's thread as much as a VM event's boost does
TEST(Outcomes, WaitNotCritVmEventIsWarnedWhenAThreadEventBoostOnTheSameThreadReachesTheLimit) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, 0);  // V86: PEF_Wait_In_PM never holds
  m.create_thread("A", [&] {
    Call_Restricted_Event(Critical_Section_Boost / 2, V, PEF_Wait_Not_Crit, 0, [](const EventContext&) {});
    Call_Restricted_Event(Critical_Section_Boost / 2, vm_thread(V), PEF_Thread_Event | PEF_Wait_In_PM, 0,
                          [](const EventContext&) {});
    EXPECT_EQ(thread_priority(vm_thread(V)), Critical_Section_Boost);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  bool warned = false;
  for (const auto& rec : sink.records)
    if (rec.kind == "warning" && contains(rec.text, "PEF_Wait_Not_Crit")) warned = true;
  EXPECT_TRUE(warned) << r.message;
}

// model.md section 3: "can never run once its target's priority ... reaches Critical_Section_Boost":
// also when the target's own base priority is already there
TEST(Outcomes, WaitNotCritEventForATargetWhoseBasePriorityIsAtLeastCriticalSectionBoostIsWarned) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, Block_Svc_Ints); }, Critical_Section_Boost);
  m.create_thread("A", [&] { Call_Restricted_Event(0, V, PEF_Wait_Not_Crit, 0, [](const EventContext&) {}); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  bool warned = false;
  for (const auto& rec : sink.records)
    if (rec.kind == "warning" && contains(rec.text, "PEF_Wait_Not_Crit")) warned = true;
  EXPECT_TRUE(warned) << r.message;
  EXPECT_TRUE(contains(r.message, "never")) << r.message;
}
// model.md section 6: "For the periodic-only rule, CPU time of the idle thread counts as idle": a
// thread that keeps being woken (and so runs) is not stuck after starve_ms of the run
TEST(Outcomes, PeriodicOnlyStuckRuleCountsOnlyIdleCpuTime) {
  Machine m(Config{.time_slice_ms = 20, .starve_ms = 100, .max_time_ms = 1000});
  int wakes = 0;
  m.create_thread("A", [&] {
    for (;;) {
      _BlockOnID(1, 0);
      ++wakes;
    }
  });
  m.every(50, [] { _SignalID(1); });  // idle stretches of 50 ms < starve_ms
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::time_limit) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 1000);
  EXPECT_GE(wakes, 19);  // every 50 ms up to the limit
  EXPECT_LE(wakes, 20);
}
// services.hpp name_block_id: "a name for an ID in the log and the diagnosis"; model.md section 6:
// the diagnosis says "who waits on what"
TEST(Outcomes, StuckDiagnosisNamesTheBlockIdByItsName) {
  Machine m;
  m.create_thread("Reader", [] {
    name_block_id(0xC0DE, "rx-done");
    _BlockOnID(0xC0DE, Block_Svc_Ints);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::stuck);
  EXPECT_TRUE(contains(r.message, "rx-done")) << r.message;
  EXPECT_TRUE(contains(r.message, "Reader")) << r.message;
}
}  // namespace
}  // namespace vmmsim::test
