// boosts_test.cpp: where an event's priority boost sits and when it goes (seed 001, seed 003,
// model.md section 3 "Boosts"), and the range check on boosts.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

// seed 001: "For global events, the priority boost only goes into effect after restrictions have
// been met; that is, just before the VMM calls the event callback function."
TEST(Boosts, GlobalEventBoostAppliesOnlyJustBeforeTheCallback) {
  Machine m;
  Priority queued = -1, in_cb = -1, after = -1;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    Call_Restricted_Event(0x1000, 0, PEF_Always_Sched, 0, [&](const EventContext& e) { in_cb = thread_priority(e.thread); });
    queued = thread_priority(me);
    ring3(1);
    after = thread_priority(me);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(queued, 0x100);
  EXPECT_EQ(in_cb, 0x1100);
  EXPECT_EQ(after, 0x100);
}

// model.md section 3: "After the callback the boost is removed unless PEF_Dont_Unboost"
TEST(Boosts, GlobalEventBoostStaysOnTheThreadWithDontUnboost) {
  Machine m;
  Priority in_cb = -1, after = -1;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    Call_Restricted_Event(0x1000, 0, PEF_Always_Sched | PEF_Dont_Unboost, 0,
                          [&](const EventContext& e) { in_cb = thread_priority(e.thread); });
    ring3(1);
    after = thread_priority(me);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(in_cb, 0x1100);
  EXPECT_EQ(after, 0x1100);
}

// model.md section 3: "VM event: the boost goes onto the whole VM when queued (every thread of the
// VM, the idle thread too for the System VM) and moves to the thread that runs the callback"
TEST(Boosts, VmEventBoostLiftsEveryThreadOfTheVmIncludingIdleWhileQueued) {
  Machine m;
  Priority a_q = -1, b_q = -1, vm_q = -1, idle_q = -1, a_cb = -1, b_cb = -1, vm_cb = -1, a_after = -1, vm_after = -1;
  std::string idle_name;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); }, 0x200);
  THREADHANDLE A = m.create_thread("A", [&] {
    cli();  // PEF_Wait_For_STI fails for every System VM thread while A's IF is clear
    Call_Restricted_Event(0x10, Get_Sys_VM_Handle(), PEF_Wait_For_STI, 0, [&](const EventContext& e) {
      a_cb = thread_priority(e.thread);
      b_cb = thread_priority(B);
      vm_cb = vm_priority(e.vm);
    });
    a_q = thread_priority(Get_Cur_Thread_Handle());
    b_q = thread_priority(B);
    vm_q = vm_priority(Get_Sys_VM_Handle());
    _BlockOnID(2, 0);  // the CPU idles; at 5 the idle thread's priority is read
    sti();
    ring3(1);
    a_after = thread_priority(Get_Cur_Thread_Handle());
    vm_after = vm_priority(Get_Sys_VM_Handle());
    _SignalID(1);
  }, 0x100);
  m.at(5, [&] {
    THREADHANDLE idle = Get_Cur_Thread_Handle();
    idle_name = name(idle);
    idle_q = thread_priority(idle);
  });
  m.at(6, [] { _SignalID(2); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(a_q, 0x110);
  EXPECT_EQ(b_q, 0x210);
  EXPECT_EQ(vm_q, 0x10);
  EXPECT_EQ(idle_name, "sys");
  EXPECT_EQ(idle_q, 0x10);
  EXPECT_EQ(a_cb, 0x110);  // moved onto A
  EXPECT_EQ(b_cb, 0x200);  // no longer on the VM
  EXPECT_EQ(vm_cb, 0);
  EXPECT_EQ(a_after, 0x100);
  EXPECT_EQ(vm_after, 0);
  (void)A;
}

// seed 001: "For VM events, the priority boost is originally applied to the whole VM, but will be
// moved to the thread that the event is called on unless Flags specifies the PEF_Dont_Unboost flag."
TEST(Boosts, VmEventBoostMovesToTheThreadAndIsRemovedAfterTheCallback) {
  Machine m;
  Priority vm_q = -1, vm_cb = -1, t_cb = -1, vm_after = -1, t_after = -1;
  VMHANDLE V = m.create_vm("V", [&] {
    ring3(1);  // processing point: the event runs here
    vm_after = vm_priority(Get_Cur_VM_Handle());
    t_after = thread_priority(Get_Cur_Thread_Handle());
  }, 0x20);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0x10, V, 0, 0, [&](const EventContext& e) {
      vm_cb = vm_priority(e.vm);
      t_cb = thread_priority(e.thread);
    });
    vm_q = vm_priority(V);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(vm_q, 0x10);
  EXPECT_EQ(vm_cb, 0);
  EXPECT_EQ(t_cb, 0x30);
  EXPECT_EQ(vm_after, 0);
  EXPECT_EQ(t_after, 0x20);
}

// seed 001: the boost is moved to the thread "unless Flags specifies the PEF_Dont_Unboost flag";
// model.md section 3: "with which it stays on the VM"
TEST(Boosts, VmEventBoostStaysOnTheVmWithDontUnboost) {
  Machine m;
  Priority vm_cb = -1, t_cb = -1, vm_after = -1, t_after = -1;
  VMHANDLE V = m.create_vm("V", [&] {
    ring3(1);
    vm_after = vm_priority(Get_Cur_VM_Handle());
    t_after = thread_priority(Get_Cur_Thread_Handle());
  }, 0x20);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0x10, V, PEF_Dont_Unboost, 0, [&](const EventContext& e) {
      vm_cb = vm_priority(e.vm);
      t_cb = thread_priority(e.thread);
    });
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(vm_cb, 0x10);
  EXPECT_EQ(t_cb, 0x30);
  EXPECT_EQ(vm_after, 0x10);
  EXPECT_EQ(t_after, 0x30);
}

// model.md section 3: "Thread event: the boost goes onto the thread when queued. After the callback
// the boost is removed unless PEF_Dont_Unboost."
TEST(Boosts, ThreadEventBoostGoesOntoThreadWhenQueuedAndIsRemovedAfter) {
  Machine m;
  Priority b_q = -1, vm_q = -1, b_cb = -1, b_after = -1, c_after = -1;
  THREADHANDLE B = nullptr, C = nullptr;
  B = m.create_thread("B", [&] { _BlockOnID(1, 0); ring3(1); b_after = thread_priority(B); }, 0x200);
  C = m.create_thread("C", [&] { _BlockOnID(2, 0); ring3(1); c_after = thread_priority(C); }, 0x200);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0x10, B, PEF_Thread_Event | PEF_Always_Sched, 0,
                          [&](const EventContext& e) { b_cb = thread_priority(e.thread); });
    Call_Restricted_Event(0x10, C, PEF_Thread_Event | PEF_Always_Sched | PEF_Dont_Unboost, 0, [](const EventContext&) {});
    b_q = thread_priority(B);
    vm_q = vm_priority(Get_Sys_VM_Handle());
    _SignalID(1);
    _SignalID(2);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(b_q, 0x210);
  EXPECT_EQ(vm_q, 0);
  EXPECT_EQ(b_cb, 0x210);
  EXPECT_EQ(b_after, 0x200);
  EXPECT_EQ(c_after, 0x210);  // PEF_Dont_Unboost: kept
}

// model.md section 3: "An immediate call treats its boost as if the event were queued and run at
// once (so a VM event's boost kept by PEF_Dont_Unboost stays on the VM)"
TEST(Boosts, ImmediateVmEventCallTreatsBoostAsQueuedAndRunAtOnce) {
  Machine m;
  Priority t_cb = -1, vm_cb = -1, t_after = -1, vm_after = -1, t_cb2 = -1, vm_after2 = -1, t_after2 = -1;
  EVENTHANDLE h1 = 99, h2 = 99;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    VMHANDLE sys = Get_Sys_VM_Handle();
    h1 = Call_Restricted_Event(0x10, sys, 0, 0, [&](const EventContext& e) {
      t_cb = thread_priority(e.thread);
      vm_cb = vm_priority(e.vm);
    });
    t_after = thread_priority(me);
    vm_after = vm_priority(sys);
    h2 = Call_Restricted_Event(0x10, sys, PEF_Dont_Unboost, 0,
                               [&](const EventContext& e) { t_cb2 = thread_priority(e.thread); });
    vm_after2 = vm_priority(sys);
    t_after2 = thread_priority(me);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(h1, 0u);
  EXPECT_EQ(h2, 0u);
  EXPECT_EQ(t_cb, 0x110);
  EXPECT_EQ(vm_cb, 0);
  EXPECT_EQ(t_after, 0x100);
  EXPECT_EQ(vm_after, 0);
  EXPECT_EQ(t_cb2, 0x110);
  EXPECT_EQ(vm_after2, 0x10);  // stays on the VM
  EXPECT_EQ(t_after2, 0x110);  // through the VM
}

// model.md section 3: "A time-out or a cancel removes the boost even with PEF_Dont_Unboost (seed 003, DDK)"
TEST(Boosts, TimeOutRemovesThreadEventBoostEvenWithDontUnboost) {
  Machine m;
  Priority b_q = -1, b_cb = -1;
  bool timed_out = false;
  std::string ran_on;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); }, 0x200);  // services no events
  m.create_thread("A", [&] {
    Call_Restricted_Event(0x10, B, PEF_Thread_Event | PEF_Always_Sched | PEF_Dont_Unboost | PEF_Time_Out, 0,
                          [&](const EventContext& e) {
                            timed_out = e.timed_out;
                            ran_on = name(e.thread);
                            b_cb = thread_priority(B);
                          }, 5);
    b_q = thread_priority(B);
    ring3(10);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(b_q, 0x210);
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(ran_on, "A");
  EXPECT_EQ(b_cb, 0x200);
}

// model.md section 3: "cancelling a pending event removes it and its boost" even with PEF_Dont_Unboost
TEST(Boosts, CancelRemovesVmEventBoostEvenWithDontUnboost) {
  Machine m;
  Priority vm_q = -1, vm_after = -1;
  bool ran = false;
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, 0); }, 0x200);
  m.create_thread("A", [&] {
    EVENTHANDLE h = Call_Restricted_Event(0x10, V, PEF_Dont_Unboost, 0, [&](const EventContext&) { ran = true; });
    vm_q = vm_priority(V);
    Cancel_Restricted_Event(h);
    vm_after = vm_priority(V);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(vm_q, 0x10);
  EXPECT_EQ(vm_after, 0);
  EXPECT_FALSE(ran);
}

// model.md section 3: "a boost must be >= 0 and <= Reserved_High_Boost, and the priority it produces
// must stay below 2^31; otherwise the service fails with a clear error"
TEST(Boosts, BoostOutsideRangeIsAnError) {
  Machine m;
  std::string neg, high, overflow, ok_max, ok_zero;
  EVENTHANDLE h_max = 0;
  VMHANDLE V = m.create_vm("V", [] { _BlockOnID(1, 0); }, Reserved_High_Boost);
  m.create_thread("A", [&] {
    auto cb = [](const EventContext&) {};
    neg = error_of([&] { Call_Restricted_Event(-1, 0, PEF_Always_Sched, 0, cb); });
    high = error_of([&] { Call_Restricted_Event(Reserved_High_Boost + 1, 0, PEF_Always_Sched, 0, cb); });
    // V's thread is at Reserved_High_Boost: + Reserved_High_Boost reaches 2^31.
    overflow = error_of([&] { Call_Priority_VM_Event(Reserved_High_Boost, V, 0, 0, cb); });
    ok_max = error_of([&] { h_max = Call_Priority_VM_Event(Reserved_High_Boost - 1, V, 0, 0, cb); });
    ok_zero = error_of([&] { Call_Restricted_Event(0, 0, 0, 0, cb); });
    Cancel_Priority_VM_Event(h_max);
    _SignalID(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(neg, "Call_Restricted_Event")) << neg;
  EXPECT_TRUE(starts_with(high, "Call_Restricted_Event")) << high;
  EXPECT_TRUE(starts_with(overflow, "Call_Priority_VM_Event")) << overflow;
  EXPECT_EQ(ok_max, "");
  EXPECT_NE(h_max, 0u);
  EXPECT_EQ(ok_zero, "");
}

// model.md section 3: a boost, while pending, changes who the scheduler picks (seed 003: "the
// service boosts the priority of the virtual machine"); removed after the callback, it no longer does
TEST(Boosts, PendingVmBoostLetsBlockedServicingThreadPreempt) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, Block_Svc_Ints); tr("V woke"); }, 0x100);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0x10, V, PEF_Always_Sched, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); });
    ring3(4);  // V (0x110 with the boost) preempts A (0x100) here
    tr("A done");
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"cb on V@0", "A done@4", "V woke@4"}));
}

// seed 001: for global events "the priority boost only goes into effect after restrictions have
// been met": a boost of Critical_Section_Boost does not stop its own PEF_Wait_Not_Crit
TEST(Boosts, GlobalEventBoostDoesNotCountAgainstItsOwnRestrictions) {
  Machine m;
  EVENTHANDLE h = 99;
  Priority in_cb = -1;
  m.create_thread("A", [&] {
    h = Call_Restricted_Event(Critical_Section_Boost, 0, PEF_Wait_Not_Crit, 0,
                              [&](const EventContext& e) { in_cb = thread_priority(e.thread); });
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(h, 0u);  // ran at once
  EXPECT_EQ(in_cb, 0x100 + Critical_Section_Boost);
}

// DDK Adjust_Exec_Priority: "Adds the boost to the VM's execution priority"; model.md section 1: a
// thread's priority is base + its boosts + its VM's boosts
TEST(Boosts, AdjustExecPriorityOnAVmLiftsItsThreadsAndPreemptsAtTheNextProcessingPoint) {
  Machine m;
  Trace tr;
  Priority a_after = -1, b_after = -1;
  THREADHANDLE B = nullptr;
  VMHANDLE V = m.create_vm("V", [&] { tr("V runs"); }, 0x100);
  B = m.create_thread("B", [&] { tr("B runs"); }, 0x100);
  m.create_thread("A", [&] {
    VMHANDLE sys = Get_Sys_VM_Handle();
    Adjust_Exec_Priority(0x20, sys);  // A and B: 0x120 (A keeps the CPU: A is 0x220)
    a_after = thread_priority(Get_Cur_Thread_Handle());
    b_after = thread_priority(B);
    Adjust_Exec_Priority(0x200, V);   // V: 0x300 > A
    tr("A adjusted");
    ring3(1);
    tr("A done");
  }, 0x200);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(a_after, 0x220);
  EXPECT_EQ(b_after, 0x120);
  EXPECT_EQ(tr.lines, (std::vector<std::string>{"A adjusted@0", "V runs@0", "A done@1", "B runs@1"}));
}
}  // namespace
}  // namespace vmmsim::test
