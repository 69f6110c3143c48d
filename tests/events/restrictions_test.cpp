// restrictions_test.cpp: the PEF_* restrictions of seed 001, one test per row of model.md
// section 3's table: a case where the restriction holds and one where it fails.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 3 table: PEF_Wait_For_STI holds when "every thread of the event's VM ... has IF set"
TEST(Restrictions, WaitForStiNeedsInterruptsEnabledInEveryThreadOfTheVm) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("B", [&] { cli(); _BlockOnID(1, 0); tr("B sti"); sti(); }, 0x200);
  m.create_thread("A", [&] {
    // A's IF is set, B's is clear: the VM does not have interrupts enabled in all threads.
    h = Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Wait_For_STI, 0,
                              [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(1);
    tr("A ring3 done");
    _SignalID(1);
    ring3(1);  // B runs first (higher priority) and sets IF; then the event holds for A
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"A ring3 done@1", "B sti@1", "cb on A@1", "A done@2"}));
}

// model.md section 3 table: PEF_Wait_For_Thread_STI holds when "T has IF set at ring 3" (seed 001:
// "checks the status of only the current thread")
TEST(Restrictions, WaitForThreadStiChecksOnlyTheCurrentThread) {
  Machine m;
  Trace tr;
  EVENTHANDLE h1 = 99, h2 = 0;
  m.create_thread("B", [&] { cli(); _BlockOnID(1, 0); }, 0x200);  // another thread with IF clear
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    h1 = Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, [&](const EventContext&) { tr("cb1"); });
    cli();
    h2 = Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, [&](const EventContext&) { tr("cb2"); });
    ring3(1);
    tr("after ring3");
    sti();
    ring3(1);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(h1, 0u);
  EXPECT_NE(h2, 0u);
  EXPECT_EQ(tr.lines, (Lines{"cb1@0", "after ring3@1", "cb2@1"}));
}

// model.md section 3 table: PEF_Wait_For_Thread_STI "cannot be combined with PEF_Wait_For_STI (error)"
TEST(Restrictions, WaitForStiAndWaitForThreadStiCannotBeCombined) {
  Machine m;
  std::string err;
  m.create_thread("A", [&] {
    err = error_of([] {
      Call_Restricted_Event(0, 0, PEF_Wait_For_STI | PEF_Wait_For_Thread_STI, 0, [](const EventContext&) {});
    });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(starts_with(err, "Call_Restricted_Event")) << err;
  EXPECT_TRUE(contains(err, "PEF_Wait_For_Thread_STI")) << err;
}

// model.md section 3 table: PEF_Wait_Not_Crit holds when "the critical section is unowned and T's
// priority < Critical_Section_Boost"
TEST(Restrictions, WaitNotCritNeedsFreeSectionAndPriorityBelowCriticalSectionBoost) {
  Machine m;
  Trace tr;
  EVENTHANDLE h1 = 0, h2 = 0;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    Begin_Critical_Section(0);
    h1 = Call_Restricted_Event(0, 0, PEF_Wait_Not_Crit, 0, [&](const EventContext&) { tr("cb1"); });
    ring3(1);  // owned: fails
    End_Critical_Section();
    tr("released");
    ring3(1);  // holds
    Adjust_Thread_Exec_Priority(Critical_Section_Boost, me);
    h2 = Call_Restricted_Event(0, 0, PEF_Wait_Not_Crit, 0, [&](const EventContext&) { tr("cb2"); });
    ring3(1);  // free, but priority >= Critical_Section_Boost: fails
    tr("boosted ring3 done");
    Adjust_Thread_Exec_Priority(-Critical_Section_Boost, me);
    ring3(1);  // holds
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h1, 0u);
  EXPECT_NE(h2, 0u);
  EXPECT_EQ(tr.lines, (Lines{"released@1", "cb1@1", "boosted ring3 done@3", "cb2@3"}));
}

// model.md section 3 table: PEF_Wait_Not_HW_Int / PEF_Wait_Not_Time_Crit hold when "T is not in a
// simulated hardware interrupt and T's priority < Time_Critical_Boost"; model.md section 4: the end
// of hw_int "is not a processing point"
TEST(Restrictions, WaitNotHwIntFailsInsideHardwareInterruptAndAtTimeCriticalPriority) {
  Machine m;
  Trace tr;
  EVENTHANDLE h2 = 0;
  static_assert(PEF_Wait_Not_Time_Crit == PEF_Wait_Not_HW_Int);
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    hw_int(5);
    tr("hw_int done");
    ring3(1);
    Adjust_Thread_Exec_Priority(Time_Critical_Boost, me);
    h2 = Call_Restricted_Event(0, 0, PEF_Wait_Not_Time_Crit, 0, [&](const EventContext&) { tr("R2"); });
    ring3(1);
    tr("boosted ring3 done");
    Adjust_Thread_Exec_Priority(-Time_Critical_Boost, me);
    ring3(1);
  });
  m.at(2, [&] {
    Call_Restricted_Event(0, 0, 0, 0, [&](const EventContext&) { tr("P"); });
    Call_Restricted_Event(0, 0, PEF_Wait_Not_HW_Int, 0, [&](const EventContext&) { tr("R"); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h2, 0u);
  EXPECT_EQ(tr.lines, (Lines{"P@2", "hw_int done@5", "R@5", "boosted ring3 done@7", "R2@7"}));
}

// model.md section 3 table: PEF_Wait_In_PM holds when "T executes in protected mode" (non-system
// VMs start in V86, model.md section 1)
TEST(Restrictions, WaitInPmHoldsOnlyInProtectedMode) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_vm("V", [&] {
    h = Call_Restricted_Event(0, Get_Cur_VM_Handle(), PEF_Wait_In_PM, 0,
                              [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(1);
    tr("V86 ring3 done");
    set_pm(true);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"V86 ring3 done@1", "cb on V@1"}));
}

// seed 001: "Global restricted events can happen in any VM that meets the restriction."
TEST(Restrictions, GlobalEventRunsOnAThreadThatMeetsItsRestriction) {
  Machine m;
  Trace tr;
  m.create_vm("V", [&] {  // V86: cannot run a PEF_Wait_In_PM event
    Call_Restricted_Event(0, 0, PEF_Wait_In_PM, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(5);
    tr("V done");
  }, 0x200);
  m.create_thread("A", [&] { ring3(1); }, 0x100);  // a System VM thread, in protected mode
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"V done@5", "cb on A@5"}));
}

// model.md section 3 table: PEF_Wait_Not_Nested_Exec holds when "T's nested-execution depth is 0"
TEST(Restrictions, WaitNotNestedExecHoldsOnlyOutsideNestedExecution) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] {
    Begin_Nest_Exec();
    h = Call_Restricted_Event(0, 0, PEF_Wait_Not_Nested_Exec, 0, [&](const EventContext&) { tr("cb"); });
    Resume_Exec(2);  // a processing point, but nested
    End_Nest_Exec();
    tr("ended");
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"ended@2", "cb@2"}));
}

// model.md section 3 table: PEF_Wait_Crit holds when "the critical section is unowned or owned by T"
TEST(Restrictions, WaitCritHoldsWhenSectionIsFreeOrOwnedByCurrentThread) {
  Machine m;
  Trace tr;
  EVENTHANDLE h1 = 0, h2 = 99;
  m.create_thread("B", [&] {
    Begin_Critical_Section(0);
    _BlockOnID(1, 0);
    End_Critical_Section();
    tr("B released");
  }, 0x200);
  m.create_thread("A", [&] {
    h1 = Call_Restricted_Event(0, 0, PEF_Wait_Crit, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(1);  // owned by B: fails
    tr("A ring3 done");
    _SignalID(1);
    ring3(1);  // B releases; then it holds
    Begin_Critical_Section(0);
    h2 = Call_Restricted_Event(0, 0, PEF_Wait_Crit, 0, [&](const EventContext&) { tr("cb2"); });  // owned by A
    End_Critical_Section();
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h1, 0u);
  EXPECT_EQ(h2, 0u);
  EXPECT_EQ(tr.lines, (Lines{"A ring3 done@1", "B released@1", "cb on A@1", "cb2@2"}));
}

// seed 001: "This restriction [PEF_Wait_Crit] may be applied only to global events (Handle = 0)."
TEST(Restrictions, WaitCritOnVmOrThreadEventIsAnError) {
  Machine m;
  std::string e1, e2;
  m.create_thread("A", [&] {
    e1 = error_of([] { Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Wait_Crit, 0, [](const EventContext&) {}); });
    e2 = error_of([] {
      Call_Restricted_Event(0, Get_Cur_Thread_Handle(), PEF_Thread_Event | PEF_Wait_Crit, 0, [](const EventContext&) {});
    });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(starts_with(e1, "Call_Restricted_Event")) << e1;
  EXPECT_TRUE(starts_with(e2, "Call_Restricted_Event")) << e2;
}

// model.md section 3 table: PEF_Wait_Crit_VM holds when "T is in the System VM and the critical
// section is unowned, owned by T, or owned by a thread outside the System VM"
TEST(Restrictions, WaitCritVmHoldsWhenSectionOwnedOutsideSystemVmButNotByAnotherSystemVmThread) {
  // Owned by V's thread (outside the System VM): holds, the call runs at once.
  {
    Machine m;
    Trace tr;
    EVENTHANDLE h = 99;
    m.create_vm("V", [&] { Begin_Critical_Section(0); _BlockOnID(1, 0); End_Critical_Section(); }, 0x200);
    m.create_thread("A", [&] {
      h = Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Wait_Crit_VM, 0,
                                [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
      _SignalID(1);
    }, 0x100);
    RunResult r = m.run();
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_EQ(h, 0u);
    EXPECT_EQ(tr.lines, (Lines{"cb on A@0"}));
  }
  // Owned by B, another System VM thread: fails until B releases.
  {
    Machine m;
    Trace tr;
    EVENTHANDLE h = 0;
    m.create_thread("B", [&] { Begin_Critical_Section(0); _BlockOnID(1, 0); End_Critical_Section(); tr("B released"); }, 0x200);
    m.create_thread("A", [&] {
      h = Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Wait_Crit_VM, 0,
                                [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
      ring3(1);
      tr("A ring3 done");
      _SignalID(1);
      ring3(1);
    }, 0x100);
    RunResult r = m.run();
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_NE(h, 0u);
    EXPECT_EQ(tr.lines, (Lines{"A ring3 done@1", "B released@1", "cb on A@1"}));
  }
}

// seed 001: "The PEF_Wait_Crit_VM flag may be set only if Handle is equal to the System VM handle."
TEST(Restrictions, WaitCritVmWithAnotherHandleIsAnError) {
  Machine m;
  std::string e1, e2;
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, 0); }, 0x200);
  m.create_thread("A", [&] {
    e1 = error_of([&] { Call_Restricted_Event(0, V, PEF_Wait_Crit_VM, 0, [](const EventContext&) {}); });
    e2 = error_of([] { Call_Restricted_Event(0, 0, PEF_Wait_Crit_VM, 0, [](const EventContext&) {}); });
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(e1, "Call_Restricted_Event")) << e1;
  EXPECT_TRUE(starts_with(e2, "Call_Restricted_Event")) << e2;
}

// model.md section 2: "a PEF_Ring0_Event is processable by a blocked thread even when it blocked
// without the servicing flags"
TEST(Restrictions, Ring0EventRunsOnBlockedThreadWithoutServicingFlags) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); tr("B woke"); ring3(1); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Always_Sched, 0, [&](const EventContext& e) { tr("plain on " + name(e.thread)); });
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Ring0_Event | PEF_Always_Sched, 0,
                          [&](const EventContext& e) { tr("ring0 on " + name(e.thread)); });
    ring3(2);
    tr("A ring3 done");
    _SignalID(1);
    ring3(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  // The plain event waits until B wakes and reaches a processing point.
  EXPECT_EQ(tr.lines, (Lines{"ring0 on B@0", "A ring3 done@2", "B woke@2", "plain on B@2"}));
}

// model.md section 2: for a PEF_Ring0_Event "the critical-section condition above still applies"
TEST(Restrictions, Ring0EventWaitsWhileAnotherThreadOwnsTheSection) {
  Machine m;
  Trace tr;
  m.create_thread("C", [&] { Begin_Critical_Section(0); _BlockOnID(2, 0); End_Critical_Section(); tr("C released"); }, 0x300);
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); tr("B woke"); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Ring0_Event | PEF_Always_Sched, 0,
                          [&](const EventContext& e) { tr("ring0 on " + name(e.thread)); });
    ring3(2);
    tr("A ring3 done");
    _SignalID(2);
    ring3(1);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A ring3 done@2", "C released@2", "ring0 on B@2", "B woke@3"}));
}

// seed 001 / model.md section 3: a ring-0 callback "must not block, nest execution, run ring-3
// code, take the critical section or adjust a priority ... It may queue events and signal IDs"
TEST(Restrictions, Ring0CallbackMayNotBlockNestRunRing3TakeSectionOrAdjustPriority) {
  Machine m;
  std::vector<std::string> errs;
  std::string ok1 = "unset", ok2 = "unset";
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, 0, PEF_Ring0_Event | PEF_Always_Sched, 0, [&](const EventContext& e) {
      errs.push_back(error_of([] { _BlockOnID(7, 0); }));
      errs.push_back(error_of([] { Begin_Nest_Exec(); }));
      errs.push_back(error_of([] { ring3(1); }));
      errs.push_back(error_of([] { Begin_Critical_Section(0); }));
      errs.push_back(error_of([&] { Adjust_Thread_Exec_Priority(1, e.thread); }));
      ok1 = error_of([] { Schedule_Global_Event([](const EventContext&) {}, 0); });
      ok2 = error_of([] { _SignalID(7); });
    });
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  ASSERT_EQ(errs.size(), 5u);
  EXPECT_TRUE(starts_with(errs[0], "_BlockOnID")) << errs[0];
  EXPECT_TRUE(starts_with(errs[1], "Begin_Nest_Exec")) << errs[1];
  EXPECT_TRUE(starts_with(errs[2], "ring3")) << errs[2];
  EXPECT_TRUE(starts_with(errs[3], "Begin_Critical_Section")) << errs[3];
  EXPECT_TRUE(starts_with(errs[4], "Adjust_Thread_Exec_Priority")) << errs[4];
  EXPECT_EQ(ok1, "");
  EXPECT_EQ(ok2, "");
}

// model.md section 3 table: PEF_Wait_For_STI on a global event looks at "T's VM": a thread of a VM
// with interrupts disabled cannot run it, a thread of another VM can
TEST(Restrictions, WaitForStiOnAGlobalEventJudgesTheRunningThreadsVm) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_vm("V", [&] {
    cli();
    h = Call_Restricted_Event(0, 0, PEF_Wait_For_STI, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(5);
    tr("V done");
    sti();
  }, 0x200);
  m.create_thread("A", [&] { ring3(1); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"V done@5", "cb on A@5"}));
}
}  // namespace
}  // namespace vmmsim::test
