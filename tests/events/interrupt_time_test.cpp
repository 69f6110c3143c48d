// interrupt_time_test.cpp: what runs at interrupt time (vmm.at / vmm.every handlers), what may be
// called there, and who is current (model.md sections 1, 3 and 6).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 1: "vmm.current_thread() at interrupt time is the interrupted thread"
TEST(InterruptTime, CurrentThreadIsTheInterruptedOne) {
  Machine m;
  THREADHANDLE seen = nullptr;
  VMHANDLE seen_vm = nullptr;
  double at = -1;
  VMHANDLE V = m.create_vm("V", [] { ring3(10); });
  m.at(4, [&] {
    seen = Get_Cur_Thread_Handle();
    seen_vm = Get_Cur_VM_Handle();
    at = now();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(seen, vm_thread(V));
  EXPECT_EQ(seen_vm, V);
  EXPECT_DOUBLE_EQ(at, 4);
}

// model.md section 1: at interrupt time the current thread is "sys when the CPU was idle"
TEST(InterruptTime, CurrentThreadIsSysWhenTheCpuWasIdle) {
  Machine m;
  std::string seen;
  VMHANDLE seen_vm = nullptr;
  m.create_thread("A", [] { _BlockOnID(1, 0); });
  m.at(4, [&] {
    seen = name(Get_Cur_Thread_Handle());
    seen_vm = Get_Cur_VM_Handle();
    _SignalID(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(seen, "sys");
  EXPECT_EQ(seen_vm, m.sys_vm());
}

// model.md section 3: "Interrupt time: event services and _SignalID may be called there"
TEST(InterruptTime, EventServicesAndSignalIdMayBeCalled) {
  Machine m;
  std::vector<std::string> errs;
  int ran = 0;
  THREADHANDLE A = m.create_thread("A", [] { ring3(10); });
  m.at(4, [&] {
    auto cb = [&](const EventContext&) { ++ran; };
    VMHANDLE sys = Get_Sys_VM_Handle();
    errs.push_back(error_of([&] { Call_Global_Event(cb, 0); }));
    errs.push_back(error_of([&] { Schedule_Global_Event(cb, 0); }));
    errs.push_back(error_of([&] { Call_VM_Event(sys, cb, 0); }));
    errs.push_back(error_of([&] { Schedule_VM_Event(sys, cb, 0); }));
    errs.push_back(error_of([&] { Schedule_Thread_Event(A, cb, 0); }));
    errs.push_back(error_of([&] { Call_Restricted_Event(0, A, PEF_Thread_Event, 0, cb); }));
    errs.push_back(error_of([&] { Call_Priority_VM_Event(Low_Pri_Device_Boost, sys, 0, 0, cb); }));
    errs.push_back(error_of([&] { Cancel_Global_Event(Schedule_Global_Event([](const EventContext&) {}, 0)); }));
    errs.push_back(error_of([] { _SignalID(9); }));
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(errs, (std::vector<std::string>(9, "")));
  EXPECT_EQ(ran, 7);
}

// model.md section 3: "blocking services (the critical section included, even when free) and ring3
// may not (error)" be called at interrupt time
TEST(InterruptTime, BlockingServicesAndRing3AreErrors) {
  Machine m;
  std::vector<std::string> errs;
  SEMHANDLE s = 0;
  m.create_thread("A", [&] { s = Create_Semaphore(1); ring3(10); });
  m.at(4, [&] {
    errs.push_back(error_of([] { _BlockOnID(1, 0); }));
    errs.push_back(error_of([&] { Wait_Semaphore(s, 0); }));
    errs.push_back(error_of([] { Begin_Critical_Section(0); }));
    errs.push_back(error_of([] { ring3(1); }));
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  ASSERT_EQ(errs.size(), 4u);
  EXPECT_TRUE(starts_with(errs[0], "_BlockOnID")) << errs[0];
  EXPECT_TRUE(starts_with(errs[1], "Wait_Semaphore")) << errs[1];
  EXPECT_TRUE(starts_with(errs[2], "Begin_Critical_Section")) << errs[2];
  EXPECT_TRUE(starts_with(errs[3], "ring3")) << errs[3];
  EXPECT_DOUBLE_EQ(r.end_ms, 10);
}

// model.md section 6: "a service misuse that the scenario did not catch" ends the run with error
TEST(InterruptTime, UncaughtMisuseInAHandlerEndsTheRunWithError) {
  Machine m;
  m.create_thread("A", [] { ring3(10); });
  m.at(4, [] { Begin_Critical_Section(0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(contains(r.message, "Begin_Critical_Section")) << r.message;
  EXPECT_DOUBLE_EQ(r.end_ms, 4);
}

// model.md section 6: "Items due at the same instant fire one at a time in the order they were
// created ...; after each, the running thread takes its processing point, and may be switched,
// before the next fires"
TEST(InterruptTime, SimultaneousInterruptsFireInCreationOrderWithAProcessingPointBetween) {
  Machine m;
  Trace tr;
  m.create_thread("H", [&] { _BlockOnID(1, 0); tr("H woke"); ring3(10); }, 0x200);
  m.create_thread("L", [&] { ring3(20); }, 0x100);
  m.at(5, [&] { tr("h1 interrupts " + name(Get_Cur_Thread_Handle())); _SignalID(1); });
  m.at(5, [&] { tr("h2 interrupts " + name(Get_Cur_Thread_Handle())); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"h1 interrupts L@5", "H woke@5", "h2 interrupts H@5"}));
}

// model.md section 1: the idle thread "processes events like any other thread; a callback it runs
// may not block or run ring-3 code (error)"
TEST(InterruptTime, CallbackRunByTheIdleThreadMayNotBlockOrRunRing3) {
  Machine m;
  std::string who, block_err, ring3_err;
  m.create_thread("A", [] { _BlockOnID(1, 0); });
  m.at(4, [&] {
    Schedule_Global_Event([&](const EventContext& e) {
      who = name(e.thread);
      block_err = error_of([] { _BlockOnID(2, 0); });
      ring3_err = error_of([] { ring3(1); });
      _SignalID(1);
    }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(who, "sys");
  EXPECT_TRUE(starts_with(block_err, "_BlockOnID")) << block_err;
  EXPECT_TRUE(starts_with(ring3_err, "ring3")) << ring3_err;
  EXPECT_DOUBLE_EQ(r.end_ms, 4);
}

// scenario-api.md: vmm.every(ms, fn, count): "a periodic interrupt", first at ms
TEST(InterruptTime, PeriodicInterruptFiresEveryPeriodCountTimes) {
  Machine m;
  Trace tr;
  m.create_thread("A", [] { ring3(50); });
  m.every(7.5, [&] { tr("tick on " + name(Get_Cur_Thread_Handle())); }, 3);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"tick on A@7.5", "tick on A@15", "tick on A@22.5"}));
}

// model.md section 6: "Interrupts and time-outs due at or before the end of a ring3 call fire inside it."
TEST(InterruptTime, InterruptDueAtTheEndOfRing3FiresInsideIt) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] { ring3(10); tr("after ring3"); });
  m.at(10, [&] { tr("irq interrupts " + name(Get_Cur_Thread_Handle())); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"irq interrupts A@10", "after ring3@10"}));
}
// model.md section 4: "hw_int raises T's hardware-interrupt depth for its whole duration, so the
// ring-3 entry at its start is a processing point inside the interrupt"
TEST(InterruptTime, HwIntStartIsAProcessingPointInsideTheInterrupt) {
  Machine m;
  Trace tr;
  EVENTHANDLE inner = 0;
  m.create_thread("A", [&] {
    Schedule_Global_Event([&](const EventContext&) {
      tr("cb");
      // Inside the simulated hardware interrupt: PEF_Wait_Not_HW_Int does not hold, so no immediate call.
      inner = Call_Restricted_Event(0, 0, PEF_Wait_Not_HW_Int, 0, [&](const EventContext&) { tr("inner"); });
    }, 0);
    hw_int(4);
    tr("hw_int done");
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(inner, 0u);
  EXPECT_EQ(tr.lines, (Lines{"cb@0", "hw_int done@4", "inner@4"}));
}
}  // namespace
}  // namespace vmmsim::test
