// timeouts_test.cpp: PEF_Time_Out (seed 001, seed 003, model.md section 3 "Time-out"),
// Call_Priority_VM_Event's time-out, Set_Global_Time_Out / Cancel_Time_Out.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 3: "if the event is still pending at its deadline ... its callback runs at once,
// with timed_out (the carry flag) set, in the context of whatever thread is current ..., ignoring its
// restrictions"; "time-outs fire exactly at their virtual deadline"
TEST(TimeOuts, CallbackRunsOnceAtDeadlineWithCarryInCurrentThreadIgnoringRestrictions) {
  Machine m;
  Trace tr;
  int calls = 0;
  m.create_thread("A", [&] {
    cli();  // PEF_Wait_For_Thread_STI fails for A until the end
    Call_Restricted_Event(0, Get_Cur_Thread_Handle(), PEF_Thread_Event | PEF_Wait_For_Thread_STI | PEF_Time_Out, 0,
                          [&](const EventContext& e) {
                            ++calls;
                            tr(fmt::format("cb on {} timed_out={}", name(e.thread), e.timed_out));
                          }, 7);
    ring3(20);
    sti();
    ring3(1);
    tr("A done");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(tr.lines, (Lines{"cb on A timed_out=true@7", "A done@21"}));
}

// model.md section 3: the timed-out callback runs "in the context of whatever thread is current
// (the idle thread if none)"; the deadline is exact, fractions of a ms included
TEST(TimeOuts, TimedOutCallbackRunsOnIdleThreadWhenCpuIsIdle) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, 0); tr("V woke"); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, V, PEF_Time_Out, 0, [&](const EventContext& e) {
      tr(fmt::format("cb on {} timed_out={}", name(e.thread), e.timed_out));
      _SignalID(1);
    }, 3.5);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on sys timed_out=true@3.5", "V woke@3.5"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 3.5);
}

// seed 001: "If a timeout occurs before the restrictions are met" — an event that ran in time is
// called once, without the carry flag, and never again at its deadline
TEST(TimeOuts, EventThatRanBeforeItsDeadlineDoesNotTimeOutLater) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, 0, PEF_Always_Sched | PEF_Time_Out, 0,
                          [&](const EventContext& e) { tr(fmt::format("cb timed_out={}", e.timed_out)); }, 5);
    ring3(10);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb timed_out=false@0"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 10);
}

// model.md section 6: "Interrupts and time-outs due at or before the end of a ring3 call fire inside it."
TEST(TimeOuts, TimeOutDueAtTheEndOfRing3FiresInsideIt) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    cli();
    Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI | PEF_Time_Out, 0, [&](const EventContext&) { tr("cb"); }, 10);
    ring3(10);
    tr("after ring3");
    sti();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb@10", "after ring3@10"}));
}

// model.md section 3: "A time-out acts like an interrupt: if the thread was running ring-3 code, the
// return is a processing point, and the timed-out callback runs there first, as an event callback
// (not at interrupt time)"
TEST(TimeOuts, TimedOutCallbackRunsAsEventCallbackAndItsReturnIsAProcessingPoint) {
  Machine m;
  Trace tr;
  std::string crit_err = "unset";
  m.create_thread("H", [&] { _BlockOnID(1, 0); tr("H woke"); }, 0x200);
  m.create_thread("A", [&] {
    cli();
    Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI | PEF_Time_Out, 0, [&](const EventContext&) {
      tr("cb");
      // Not at interrupt time: the critical section may be taken (model.md section 3).
      crit_err = error_of([] { Begin_Critical_Section(0); End_Critical_Section(); });
      _SignalID(1);
    }, 7);
    ring3(20);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(crit_err, "");
  EXPECT_EQ(tr.lines, (Lines{"cb@7", "H woke@7", "A done@20"}));
}

// seed 003: "If the amount of time specified by TimeOut elapses before the system can switch to the
// virtual machine, the system sets the carry flag and calls the callback function immediately
// regardless of which virtual machine is currently running. In this case, any requested priority
// boost is canceled even if Flags specified the PEF_Dont_Unboost value."
TEST(TimeOuts, PriorityVmEventTimeOutRunsInCurrentVmWithBoostGone) {
  Machine m;
  Priority vm_q = -1, vm_cb = -1;
  bool carry = false;
  VMHANDLE cb_vm = nullptr;
  std::string cb_thread;
  double cb_at = -1;
  VMHANDLE V = m.create_vm("V", [] {}, 0);
  m.create_thread("A", [&] {
    ASSERT_TRUE(Suspend_VM(V));  // the system cannot switch to V
    Call_Priority_VM_Event(High_Pri_Device_Boost, V, PEF_Time_Out | PEF_Dont_Unboost, 0, [&](const EventContext& e) {
      carry = e.timed_out;
      cb_vm = e.vm;
      cb_thread = name(e.thread);
      vm_cb = vm_priority(V);
      cb_at = now();
    }, 5);
    vm_q = vm_priority(V);
    ring3(10);
    Resume_VM(V);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(vm_q, High_Pri_Device_Boost);
  EXPECT_TRUE(carry);
  EXPECT_EQ(cb_vm, m.sys_vm());
  EXPECT_EQ(cb_thread, "A");
  EXPECT_EQ(vm_cb, 0);
  EXPECT_DOUBLE_EQ(cb_at, 5);
}

// DDK Set_Global_Time_Out (model.md section 3 names it among the time-outs): the callback runs at
// the deadline in the current thread, with its reference data
TEST(TimeOuts, SetGlobalTimeOutRunsCallbackAtDeadline) {
  Machine m;
  Trace tr;
  TIMEOUTHANDLE h = 0;
  RefData ref = 0;
  m.create_thread("A", [&] {
    h = Set_Global_Time_Out(12.5, [&](const EventContext& e) { ref = e.refdata; tr("cb on " + name(e.thread)); }, 0x77);
    ring3(20);
    tr("A done");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_EQ(ref, 0x77u);
  EXPECT_EQ(tr.lines, (Lines{"cb on A@12.5", "A done@20"}));
}

// model.md section 6: a run is finished only when "no event or time-out is pending": a pending
// time-out keeps it alive, and the idle thread runs it
TEST(TimeOuts, PendingGlobalTimeOutKeepsTheRunAliveAndRunsOnIdle) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] { Set_Global_Time_Out(50, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on sys@50"}));
  EXPECT_DOUBLE_EQ(r.end_ms, 50);
}

// DDK Cancel_Time_Out: "Cancels a pending time-out"; model.md section 3 Cancel: handle 0 does
// nothing, a handle already cancelled is stale (an error)
TEST(TimeOuts, CancelTimeOutPreventsTheCallback) {
  Machine m;
  bool ran = false;
  std::string zero = "unset", again;
  m.create_thread("A", [&] {
    TIMEOUTHANDLE h = Set_Global_Time_Out(5, [&](const EventContext&) { ran = true; }, 0);
    Cancel_Time_Out(h);
    zero = error_of([] { Cancel_Time_Out(0); });
    again = error_of([&] { Cancel_Time_Out(h); });
    ring3(10);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(ran);
  EXPECT_EQ(zero, "");
  EXPECT_TRUE(starts_with(again, "Cancel_Time_Out")) << again;
  EXPECT_DOUBLE_EQ(r.end_ms, 10);
}

// model.md section 6: "Items due at the same instant fire one at a time in the order they were
// created": an interrupt set up before the run fires before a time-out created during it
TEST(TimeOuts, TimeOutAndInterruptDueAtTheSameInstantFireInCreationOrder) {
  Machine m;
  Trace tr;
  m.at(1, [] {});                      // an earlier interrupt source
  m.at(5, [&] { tr("irq"); });         // created before the run
  m.create_thread("A", [&] {
    cli();
    Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI | PEF_Time_Out, 0,
                          [&](const EventContext&) { tr("time-out"); }, 5);  // created at 0 ms, due at 5
    ring3(10);
    sti();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"irq@5", "time-out@5"}));
}

// model.md section 6: "Items due at the same instant fire one at a time in the order they were created"
TEST(TimeOuts, TwoTimeOutsDueAtTheSameInstantFireInCreationOrder) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Set_Global_Time_Out(5, [&](const EventContext&) { tr("first"); }, 0);
    cli();
    Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI | PEF_Time_Out, 0, [&](const EventContext&) { tr("second"); }, 5);
    Set_Global_Time_Out(5, [&](const EventContext&) { tr("third"); }, 0);
    ring3(10);
    sti();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"first@5", "second@5", "third@5"}));
}
// seed 001: "TimeOut: Number of milliseconds until the event times out. The service uses this
// parameter only if the PEF_Time_Out value is specified by Flags."
TEST(TimeOuts, TimeOutArgumentIsIgnoredWithoutPefTimeOut) {
  Machine m;
  Trace tr;
  std::string negative_err = "unset", negative_flag_err;
  m.create_thread("A", [&] {
    cli();
    Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI, 0,
                          [&](const EventContext& e) { tr(fmt::format("cb timed_out={}", e.timed_out)); }, 5);
    negative_err = error_of([] { Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, [](const EventContext&) {}, -1); });
    negative_flag_err = error_of([] {
      Call_Restricted_Event(0, 0, PEF_Always_Sched | PEF_Time_Out, 0, [](const EventContext&) {}, -1);
    });
    ring3(10);  // no time-out at 5
    sti();
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb timed_out=false@10"}));
  EXPECT_EQ(negative_err, "");  // ignored without PEF_Time_Out
  EXPECT_TRUE(starts_with(negative_flag_err, "Call_Restricted_Event")) << negative_flag_err;
}
// model.md section 3: a time-out fires "if the event is still pending at its deadline, for whatever
// reason" — even when its target has finished; the run is then not stuck (section 6: nothing pending
// in time must be able to change things)
TEST(TimeOuts, EventForAFinishedTargetStillTimesOut) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [] { cli(); _BlockOnID(1, 0); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Wait_For_Thread_STI | PEF_Time_Out, 0, [&](const EventContext& e) {
      tr(fmt::format("cb on {} timed_out={}", name(e.thread), e.timed_out));
    }, 50);
    _SignalID(1);  // B finishes with its event pending
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on sys timed_out=true@50"}));
}
// Issue #10 item 5: a time-out without PEF_Time_Out, or PEF_Time_Out without a time-out, is
// almost certainly a driver bug: the call works as documented and the log says so.
TEST(TimeOuts, ATimeOutWithoutPefTimeOutIsIgnoredWithAWarning) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("A", [] {
    Call_Restricted_Event(0, nullptr, PEF_Always_Sched, 0, [](const EventContext&) {}, 30);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  bool warned = false;
  for (const auto& rec : sink.records)
    warned |= rec.kind == "warning" &&
              rec.text == "warning: Call_Restricted_Event: a time-out of 30 ms without PEF_Time_Out is ignored";
  EXPECT_TRUE(warned);
}

TEST(TimeOuts, PefTimeOutWithoutATimeOutIsWarnedAbout) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("A", [] {
    Call_Priority_VM_Event(0, Get_Sys_VM_Handle(), PEF_Time_Out | PEF_Always_Sched, 0, [](const EventContext&) {});
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  bool warned = false;
  for (const auto& rec : sink.records)
    warned |= rec.kind == "warning" && contains(rec.text, "Call_Priority_VM_Event: PEF_Time_Out with a time-out of 0 ms");
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace vmmsim::test

namespace vmmsim::test {
namespace {

// DDK "Set_VM_Time_Out": "Counts only time while that VM runs."
TEST(TimeOuts, AVmTimeOutCountsOnlyTheVmsExecutionTime) {
  Machine m;
  Trace tr;
  VMHANDLE v = m.create_vm("V", [] { ring3(30); }, 1);
  m.create_thread("A", [&] {
    Set_VM_Time_Out(10, v, [&](const EventContext& e) { tr("V time-out on " + name(e.thread)); }, 0);
    ring3(20);  // V does not run: its clock stands still
  }, 2);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"V time-out on V@30"}));
}

// DDK "Set_Thread_Time_Out": the thread's execution time; other threads of its VM do not count.
TEST(TimeOuts, AThreadTimeOutCountsOnlyThatThreadsExecutionTime) {
  Machine m;
  Trace tr;
  THREADHANDLE b = m.create_thread("B", [] { ring3(10); }, 1);
  m.create_thread("A", [&] {
    Set_Thread_Time_Out(4, b, [&](const EventContext& e) { tr("B time-out on " + name(e.thread)); }, 0);
    ring3(5);
  }, 2);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"B time-out on B@9"}));
}

// Decided (docs/model.md): the System VM's execution time includes the idle thread's.
TEST(TimeOuts, TheSystemVmsExecutionTimeIncludesIdleTime) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Set_VM_Time_Out(5, Get_Sys_VM_Handle(), [&](const EventContext& e) { tr("on " + name(e.thread)); }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"on sys@5"}));
}

// DDK "Set_Async_Time_Out": "Callback runs at hardware-interrupt time."
TEST(TimeOuts, AnAsyncTimeOutRunsAtInterruptTime) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Set_Async_Time_Out(3, [&](const EventContext& e) {
      tr("async on " + name(e.thread) + ": " + error_of([] { Begin_Critical_Section(0); }));
    }, 0);
    ring3(10);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{
                          "async on A: Begin_Critical_Section: may not be called at interrupt time (model.md section 3)@3"}));
}

TEST(TimeOuts, CancelTimeOutCancelsVmThreadAndAsyncTimeOuts) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    auto cb = [&](const EventContext&) { tr("ran"); };
    Cancel_Time_Out(Set_VM_Time_Out(1, Get_Sys_VM_Handle(), cb, 0));
    Cancel_Time_Out(Set_Thread_Time_Out(1, Get_Cur_Thread_Handle(), cb, 0));
    Cancel_Time_Out(Set_Async_Time_Out(1, cb, 0));
    ring3(5);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(tr.lines.empty());
}

TEST(TimeOuts, AThreadTimeOutWhoseTargetFinishedLeavesTheRunStuckAndIsNamed) {
  Machine m;
  THREADHANDLE b = m.create_thread("B", [] { ring3(1); }, 1);
  m.create_thread("A", [&] { Set_Thread_Time_Out(50, b, [](const EventContext&) {}, 0); }, 2);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "pending Set_Thread_Time_Out #1 for B (49.000 ms of its execution left, set at "
                                  "0.000 ms): it has finished, so its execution time no longer advances"))
      << r.message;
}

}  // namespace
}  // namespace vmmsim::test
