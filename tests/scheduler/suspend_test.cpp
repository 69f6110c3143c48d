// suspend_test.cpp: Suspend_VM / Resume_VM (model.md sections 1, 2 and 5, DDK).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// model.md section 5: "suspending the System VM ... fails (DDK)"
TEST(Suspend, SuspendingTheSystemVmFails) {
  Machine m;
  bool ok = true;
  m.create_thread("A", [&] { ok = Suspend_VM(Get_Sys_VM_Handle()); ring3(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(ok);
  EXPECT_DOUBLE_EQ(r.end_ms, 1);
}

// model.md section 5: suspending "a VM that owns the critical section fails (DDK)"
TEST(Suspend, SuspendingAVmThatOwnsTheCriticalSectionFails) {
  Machine m;
  Trace tr;
  bool ok = true;
  VMHANDLE V = m.create_vm("V", [&] { Begin_Critical_Section(0); _BlockOnID(1, 0); End_Critical_Section(); tr("V released"); }, 0x200);
  m.create_thread("A", [&] {
    ok = Suspend_VM(V);
    _SignalID(1);
    ring3(1);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(ok);
  EXPECT_EQ(tr.lines, (Lines{"V released@0", "A done@1"}));
}

// seed 000: the scheduler picks among threads that are "(Not suspended)"; model.md section 1: a
// thread is suspended while "its VM's suspend count > 0"
TEST(Suspend, SuspendedVmIsNotScheduledUntilResumed) {
  Machine m;
  Trace tr;
  bool ok = false;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, 0); tr("V woke"); }, 0x200);
  m.create_thread("A", [&] {
    ok = Suspend_VM(V);
    _SignalID(1);  // V is ready, but suspended
    ring3(10);
    tr("A resumes V");
    Resume_VM(V);
    ring3(1);
    tr("A done");
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(ok);
  EXPECT_EQ(tr.lines, (Lines{"A resumes V@10", "V woke@10", "A done@11"}));
}

// DDK Suspend_VM: "Increments suspend count"; Resume_VM "Decrements; on reaching 0 the VM goes to the
// ready queue"
TEST(Suspend, SuspendCountNeedsAsManyResumes) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, 0); tr("V woke"); }, 0x200);
  m.create_thread("A", [&] {
    Suspend_VM(V);
    Suspend_VM(V);
    _SignalID(1);
    Resume_VM(V);
    ring3(5);  // count still 1
    tr("A one resume");
    Resume_VM(V);
    ring3(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A one resume@5", "V woke@5"}));
}

// model.md section 5: "Suspend_VM of the caller's own VM switches it out at once"
TEST(Suspend, SuspendingItsOwnVmSwitchesTheCallerOutAtOnce) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] {
    tr("V before");
    Suspend_VM(Get_Cur_VM_Handle());
    tr("V after");
  }, 0x200);
  m.create_thread("A", [&] {
    tr("A runs");
    ring3(5);
    Resume_VM(V);
    tr("A resumed V");
    ring3(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"V before@0", "A runs@0", "A resumed V@5", "V after@5"}));
}

// seed 000: "(Not suspended) and ((Is not blocked) or ((Is blocked servicing events) and ...))":
// a suspended VM's blocked servicing thread services nothing until it is resumed
TEST(Suspend, SuspendedVmServicesNoEventsUntilResumed) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, Block_Svc_Ints); tr("V woke"); }, 0x200);
  m.create_thread("A", [&] {
    Suspend_VM(V);
    ring3(10);
    Resume_VM(V);
    ring3(1);
    _SignalID(1);
  }, 0x100);
  m.at(3, [&] { Call_Restricted_Event(0, V, 0, 0, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on V@10", "V woke@11"}));
}

// model.md section 6: starved concerns "a scenario thread able to run"; a suspended one is not
TEST(Suspend, SuspendedThreadDoesNotStarve) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { _BlockOnID(1, 0); tr("V woke"); }, 0x100);
  m.create_thread("A", [&] {
    _BlockOnID(2, 0);  // lets V run and block first
    Suspend_VM(V);
    _SignalID(1);      // V is ready (lower priority than A) but suspended
    ring3(2000);
    Resume_VM(V);
  }, 0x200);
  m.at(1, [] { _SignalID(2); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"V woke@2001"}));
}

// model.md section 2: switches happen at the running thread's processing point: a Suspend_VM of the
// interrupted thread's VM at interrupt time takes effect at the return from the interrupt, and a
// Resume_VM at interrupt time lets the higher-priority VM preempt there too
TEST(Suspend, SuspendAndResumeAtInterruptTimeTakeEffectAtTheReturn) {
  Machine m;
  Trace tr;
  VMHANDLE V = m.create_vm("V", [&] { ring3(10); tr("V done"); }, 0x200);
  m.create_thread("A", [&] { tr("A runs"); ring3(10); tr("A done"); }, 0x100);
  m.at(5, [&] { EXPECT_TRUE(Suspend_VM(V)); });
  m.at(8, [&] { Resume_VM(V); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  // V 0-5, A 5-8, V 8-13, A 13-20.
  EXPECT_EQ(tr.lines, (Lines{"A runs@5", "V done@13", "A done@20"}));
}
}  // namespace
}  // namespace vmmsim::test

namespace vmmsim::test {
namespace {

// DDK "No_Fail_Resume_VM": "Like Resume_VM but never fails" (no VxD refuses a resume here).
TEST(Suspend, NoFailResumeVmResumesLikeResumeVm) {
  Machine m;
  std::vector<std::string> seen;
  VMHANDLE v = m.create_vm("V", [&] { seen.push_back("V runs"); }, 1);
  m.create_thread("A", [&] {
    Suspend_VM(v);
    ring3(1);
    No_Fail_Resume_VM(v);
    seen.push_back(error_of([&] { No_Fail_Resume_VM(v); }));
  }, 2);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(seen, (std::vector<std::string>{"No_Fail_Resume_VM: VM V is not suspended", "V runs"}));
}

// DDK "Test_Sys_VM_Handle", "Get_System_Time" (ms since start; callable at interrupt time).
TEST(Suspend, TestSysVmHandleAndGetSystemTime) {
  Machine m;
  std::vector<std::string> seen;
  VMHANDLE v = m.create_vm("V", [] {}, 0);
  m.create_thread("A", [&] {
    seen.push_back(fmt::format("{} {}", Test_Sys_VM_Handle(Get_Sys_VM_Handle()), Test_Sys_VM_Handle(v)));
    ring3(2.5);
    seen.push_back(fmt::format("{}", Get_System_Time()));
  }, 1);
  m.at(1, [&] { seen.push_back(fmt::format("irq {}", Get_System_Time())); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(seen, (std::vector<std::string>{"true false", "irq 1", "2"}));
}

}  // namespace
}  // namespace vmmsim::test
