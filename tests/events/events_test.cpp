// events_test.cpp: global, VM and thread events (seeds 001 and 003, model.md section 3): the
// immediate-call rule, Schedule_* always queue, the two-pass order, FIFO within a class.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 3, Immediate call: "the Call_* services run the callback before returning (and
// return handle 0) when PEF_Always_Sched is absent, the caller is not at interrupt time, the target is
// the current context ... and every restriction holds now"
TEST(Events, CallGlobalEventRunsAtOnceAndReturnsZero) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 99;
  m.create_thread("A", [&] {
    h = Call_Global_Event([&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("after call");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"cb on A@0", "after call@0"}));
}

// model.md section 3: "Schedule_* services always queue"
TEST(Events, ScheduleGlobalEventQueuesUntilNextProcessingPoint) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] {
    h = Schedule_Global_Event([&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("after schedule");
    ring3(2);
    tr("after ring3");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"after schedule@0", "cb on A@0", "after ring3@2"}));
}

// model.md section 3: immediate call when "the target is the current context (... the current VM ...)"
TEST(Events, CallVmEventForCurrentVmRunsAtOnce) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 99;
  m.create_thread("A", [&] {
    h = Call_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("after call");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"cb on A@0", "after call@0"}));
}

// model.md section 3: an event for another VM is queued and runs in that VM (DDK Call_VM_Event)
TEST(Events, CallVmEventForAnotherVmQueuesAndRunsInThatVm) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  VMHANDLE cb_vm = nullptr;
  VMHANDLE V = m.create_vm("V", [&] { ring3(1); tr("V done"); }, 0);
  m.create_thread("A", [&] {
    h = Call_VM_Event(V, [&](const EventContext& e) { cb_vm = e.vm; tr("cb on " + name(e.thread)); }, 0);
    ring3(5);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(cb_vm, V);
  EXPECT_EQ(tr.lines, (Lines{"A done@5", "cb on V@5", "V done@6"}));
}

// model.md section 3: "Schedule_* services always queue", even for the current VM
TEST(Events, ScheduleVmEventQueuesEvenForCurrentVm) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] {
    h = Schedule_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("after schedule");
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"after schedule@0", "cb on A@0"}));
}

// model.md section 3: immediate call when the target is "the current thread"
TEST(Events, ThreadEventForCurrentThreadRunsAtOnceWithoutAlwaysSched) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 99;
  m.create_thread("A", [&] {
    h = Call_Restricted_Event(0, Get_Cur_Thread_Handle(), PEF_Thread_Event, 0,
                              [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    tr("after call");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"cb on A@0", "after call@0"}));
}

// seed 001: "PEF_Always_Sched: Event is always scheduled, meaning the callback function is never called immediately."
TEST(Events, AlwaysSchedQueuesEvenWhenCallCouldRunAtOnce) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] {
    h = Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, [&](const EventContext&) { tr("cb"); });
    tr("after call");
    ring3(3);
    tr("after ring3");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"after call@0", "cb@0", "after ring3@3"}));
}

// seed 001: "The callback function is called only in the context of the thread."
TEST(Events, ThreadEventRunsOnlyOnItsThread) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { ring3(1); tr("B done"); }, 0x100);
  m.create_thread("A", [&] {
    Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    ring3(5);
    tr("A done");
  }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A done@5", "cb on B@5", "B done@6"}));
}

// model.md section 3: no immediate call at interrupt time; model.md section 4: "the return from
// every interrupt ... that arrived while T ran ring-3 code" is a processing point
TEST(Events, CallAtInterruptTimeQueuesAndRunsAtTheReturnProcessingPoint) {
  Machine m;
  Trace tr;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] { ring3(10); tr("A done"); });
  m.at(4, [&] {
    h = Call_Global_Event([&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("handler after call");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"handler after call@4", "cb on A@4", "A done@10"}));
}

// seed 001: "Normally, global events are processed first, then VM events, then thread events";
// model.md section 3: "FIFO within each", PEF_Process_Last only in the second pass
TEST(Events, TwoPassOrderGlobalThenVmThenThreadWithProcessLastAfterAll) {
  Machine m;
  std::vector<std::string> order;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    VMHANDLE sys = Get_Sys_VM_Handle();
    auto rec = [&](const char* n) { return [&order, n](const EventContext&) { order.push_back(n); }; };
    Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0, rec("T1"));
    Call_Restricted_Event(0, sys, PEF_Process_Last | PEF_Always_Sched, 0, rec("VL"));
    Call_Restricted_Event(0, sys, PEF_Always_Sched, 0, rec("V1"));
    Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, rec("G1"));
    Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0, rec("T2"));
    Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, rec("G2"));
    Call_Restricted_Event(0, sys, PEF_Always_Sched, 0, rec("V2"));
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(order, (Lines{"G1", "G2", "V1", "V2", "T1", "T2", "VL"}));
}

// model.md section 3: "FIFO within each [class]"
TEST(Events, EventsOfOneClassRunFirstInFirstOut) {
  Machine m;
  std::vector<int> order;
  m.create_thread("A", [&] {
    for (int i = 1; i <= 5; ++i)
      Schedule_Global_Event([&order, i](const EventContext&) { order.push_back(i); }, 0);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5}));
}

// seed 001: "If the initial check fails to find any events, then a second pass is made during which
// this event can be selected."
TEST(Events, ProcessLastRunsWhenFirstPassFindsNothingProcessable) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    cli();
    Call_Restricted_Event(0, Get_Cur_Thread_Handle(), PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0,
                          [&](const EventContext&) { tr("T"); });
    Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Process_Last | PEF_Always_Sched, 0,
                          [&](const EventContext&) { tr("VL"); });
    ring3(1);  // T is not processable (IF clear): the second pass picks VL
    sti();
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"VL@0", "T@1"}));
}

// model.md section 3: "After every callback the search starts again from the first pass": a
// PEF_Process_Last event waits while callbacks keep making other events processable
TEST(Events, ProcessLastWaitsWhileAnyOtherEventIsProcessable) {
  Machine m;
  std::vector<std::string> order;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Process_Last | PEF_Always_Sched, 0,
                          [&](const EventContext&) { order.push_back("VL"); });
    Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0, [&, me](const EventContext&) {
      order.push_back("T1");
      Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0,
                            [&](const EventContext&) { order.push_back("T2"); });
    });
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(order, (Lines{"T1", "T2", "VL"}));
}

// model.md section 3: "After every callback the search starts again from the first pass"
TEST(Events, SearchRestartsFromGlobalClassAfterEveryCallback) {
  Machine m;
  std::vector<std::string> order;
  m.create_thread("A", [&] {
    Schedule_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext&) {
      order.push_back("V1");
      Schedule_Global_Event([&](const EventContext&) { order.push_back("G"); }, 0);
    }, 0);
    Schedule_VM_Event(Get_Sys_VM_Handle(), [&](const EventContext&) { order.push_back("V2"); }, 0);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(order, (Lines{"V1", "G", "V2"}));
}

// scenario-api.md: callbacks receive e.vm, e.thread, e.refdata, e.timed_out and e.handle ("the
// handle the scheduling service returned (0 if called at once)")
TEST(Events, CallbackReceivesContextRefDataAndHandle) {
  Machine m;
  EventContext queued{}, immediate{};
  EVENTHANDLE h = 0;
  THREADHANDLE A = m.create_thread("A", [&] {
    h = Schedule_Global_Event([&](const EventContext& e) { queued = e; }, 0x1234);
    ring3(1);
    Call_Global_Event([&](const EventContext& e) { immediate = e; }, 0x5678);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(queued.thread, A);
  EXPECT_EQ(queued.vm, m.sys_vm());
  EXPECT_EQ(queued.refdata, 0x1234u);
  EXPECT_FALSE(queued.timed_out);
  EXPECT_EQ(queued.handle, h);
  EXPECT_EQ(immediate.thread, A);
  EXPECT_EQ(immediate.refdata, 0x5678u);
  EXPECT_EQ(immediate.handle, 0u);
}

// seed 003: "The system carries out a task switch to the specified virtual machine"; model.md
// section 3: its "boost goes onto the VM at once, so the scheduler switches to it"
TEST(Events, PriorityVmEventSwitchesToTheBoostedVm) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { tr("V start"); ring3(5); tr("V done"); }, 0);
  m.create_thread("A", [&] {
    Call_Priority_VM_Event(High_Pri_Device_Boost, V, 0, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    tr("A queued");
    ring3(10);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"A queued@0", "V start@0", "cb on V@0", "A done@10", "V done@15"}));
}

// DDK Call_When_VM_Ints_Enabled (model.md section 3): "runs at once if the current VM has interrupts enabled"
TEST(Events, CallWhenVmIntsEnabledRunsAtOnceWhenEnabled) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Call_When_VM_Ints_Enabled([&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    tr("after install");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"cb on A@0", "after install@0"}));
}

// model.md section 3: Call_When_VM_Ints_Enabled "otherwise at the next processing point where it
// does; one-shot" (DDK: enabling does not run it inside the call)
TEST(Events, CallWhenVmIntsEnabledWaitsForNextProcessingPointAfterSti) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    cli();
    Call_When_VM_Ints_Enabled([&](const EventContext&) { tr("cb"); }, 0);
    tr("installed");
    ring3(1);
    sti();
    tr("after sti");
    ring3(1);
    ring3(1);
    tr("done");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_EQ(tr.lines, (Lines{"installed@0", "after sti@1", "cb@1", "done@3"}));
}

// Issue #10 item 2, model.md section 4 point 3: a pending Call_When_VM_Ints_Enabled callback is work
// for a thread of that VM blocked servicing events with its interrupts enabled: it is scheduled to
// run it (before, the callback was dropped and the run said finished).
TEST(Events, CallWhenVmIntsEnabledRunsOnAThreadOfThatVmBlockedServicingEvents) {
  Machine m;
  Trace tr;
  m.create_vm("V", [&] {
    cli();
    Call_When_VM_Ints_Enabled([&](const EventContext& e) {
      tr("cb on " + name(e.thread));
      _SignalID(1);
    }, 0);
    sti();
    _BlockOnID(1, Block_Svc_Ints);
    tr("woken");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on V@0", "woken@0"}));
}

// Issue #10 item 2: a callback still installed when nothing else can happen is work that remains:
// the run is stuck, and the diagnosis names it.
TEST(Events, ACallWhenVmIntsEnabledCallbackThatCanNeverRunLeavesTheRunStuck) {
  Machine m;
  m.create_vm("V", [&] {
    cli();
    Call_When_VM_Ints_Enabled([](const EventContext&) {}, 0);
  }, 0x100);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "Call_When_VM_Ints_Enabled callback installed at 0.000 ms for VM V has not run"))
      << r.message;
}

// model.md section 3: "An event for a thread that has finished, or for a VM whose only thread has
// finished, is an error when queued"
TEST(Events, EventForFinishedTargetIsAnErrorWhenQueued) {
  Machine m;
  std::string e1, e2, e3;
  THREADHANDLE B = m.create_thread("B", [] {}, 0x200);
  VMHANDLE V = m.create_vm("V", [] {}, 0x200);
  m.create_thread("A", [&] {
    e1 = error_of([&] { Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Always_Sched, 0, [](const EventContext&) {}); });
    e2 = error_of([&] { Schedule_Thread_Event(B, [](const EventContext&) {}, 0); });
    e3 = error_of([&] { Schedule_VM_Event(V, [](const EventContext&) {}, 0); });
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(starts_with(e1, "Call_Restricted_Event")) << e1;
  EXPECT_TRUE(starts_with(e2, "Schedule_Thread_Event")) << e2;
  EXPECT_TRUE(starts_with(e3, "Schedule_VM_Event")) << e3;
}

// model.md section 3: Call_Priority_VM_Event: "PEF_Thread_Event is an error"
TEST(Events, CallPriorityVmEventRejectsThreadEventFlag) {
  Machine m;
  std::string err;
  m.create_thread("A", [&] {
    err = error_of([&] {
      Call_Priority_VM_Event(0, Get_Sys_VM_Handle(), PEF_Thread_Event, 0, [](const EventContext&) {});
    });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(starts_with(err, "Call_Priority_VM_Event")) << err;
}

// seed 001: "All other values are reserved."
TEST(Events, ReservedFlagBitsAreAnError) {
  Machine m;
  std::string err;
  bool ran = false;
  m.create_thread("A", [&] {
    err = error_of([&] { Call_Restricted_Event(0, 0, 0x00008000, 0, [&](const EventContext&) { ran = true; }); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(starts_with(err, "Call_Restricted_Event")) << err;
}

// seed 001: "If the PEF_Thread_Event flag is specified, this parameter contains the handle of the
// thread" (a thread handle without the flag, or the flag without a thread, is a misuse)
TEST(Events, ThreadHandleAndThreadEventFlagGoTogether) {
  Machine m;
  std::string e1, e2;
  m.create_thread("A", [&] {
    e1 = error_of([&] { Call_Restricted_Event(0, Get_Cur_Thread_Handle(), PEF_Always_Sched, 0, [](const EventContext&) {}); });
    e2 = error_of([&] { Call_Restricted_Event(0, 0, PEF_Thread_Event | PEF_Always_Sched, 0, [](const EventContext&) {}); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(starts_with(e1, "Call_Restricted_Event")) << e1;
  EXPECT_TRUE(starts_with(e2, "Call_Restricted_Event")) << e2;
}

// model.md section 1 / seed 000: an uncaught service error in a callback ends the run with an error
TEST(Events, UncaughtServiceErrorInCallbackEndsRunWithError) {
  Machine m;
  m.create_thread("A", [&] {
    Schedule_Global_Event([](const EventContext&) { End_Critical_Section(); }, 0);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(contains(r.message, "End_Critical_Section")) << r.message;
}

// model.md section 4: "At a point, T processes every processable event (section 3 order) and only
// then may be switched."
TEST(Events, AllProcessableEventsRunBeforeASwitch) {
  Machine m;
  Trace tr;
  m.create_thread("H", [&] { _BlockOnID(1, 0); tr("H woke"); }, 0x200);
  m.create_thread("A", [&] {
    Schedule_Global_Event([&](const EventContext& e) { tr("cb1 on " + name(e.thread)); _SignalID(1); }, 0);
    Schedule_Global_Event([&](const EventContext& e) { tr("cb2 on " + name(e.thread)); }, 0);
    ring3(1);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb1 on A@0", "cb2 on A@0", "H woke@0", "A done@1"}));
}

// model.md section 3: Call_Priority_VM_Event "accepts the restriction flags of Call_Restricted_Event",
// and follows the immediate-call rule for the current VM
TEST(Events, CallPriorityVmEventHonoursRestrictionsAndTheImmediateCallRule) {
  Machine m;
  Trace tr;
  EVENTHANDLE now_h = 99, nested_h = 0;
  m.create_thread("A", [&] {
    VMHANDLE sys = Get_Sys_VM_Handle();
    now_h = Call_Priority_VM_Event(0, sys, 0, 0, [&](const EventContext&) { tr("immediate"); });
    Begin_Nest_Exec();
    nested_h = Call_Priority_VM_Event(0, sys, PEF_Wait_Not_Nested_Exec, 0, [&](const EventContext&) { tr("not nested"); });
    Resume_Exec(2);
    End_Nest_Exec();
    tr("ended");
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(now_h, 0u);
  EXPECT_NE(nested_h, 0u);
  EXPECT_EQ(tr.lines, (Lines{"immediate@0", "ended@2", "not nested@2"}));
}
// services.hpp: "A misuse throws ServiceError whose message starts with the service's name": also
// a Handle that is neither 0, a VM nor a thread
TEST(Events, NonZeroIntegerHandleIsAnErrorNamingTheService) {
  Machine m;
  std::string err;
  m.create_thread("A", [&] {
    err = error_of([] { Call_Restricted_Event(0, 5, PEF_Always_Sched, 0, [](const EventContext&) {}); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(err.empty());
  EXPECT_TRUE(starts_with(err, "Call_Restricted_Event")) << err;
}
}  // namespace
}  // namespace vmmsim::test
