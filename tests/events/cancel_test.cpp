// cancel_test.cpp: the Cancel_* services (model.md section 3 "Cancel", DDK event services).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

// model.md section 3: "cancelling handle 0 does nothing"
TEST(Cancel, HandleZeroIsANoOpForEveryCancelService) {
  Machine m;
  std::vector<std::string> errs;
  m.create_thread("A", [&] {
    errs.push_back(error_of([] { Cancel_Restricted_Event(0); }));
    errs.push_back(error_of([] { Cancel_Priority_VM_Event(0); }));
    errs.push_back(error_of([] { Cancel_Global_Event(0); }));
    errs.push_back(error_of([] { Cancel_VM_Event(Get_Sys_VM_Handle(), 0); }));
    errs.push_back(error_of([] { Cancel_Thread_Event(Get_Cur_Thread_Handle(), 0); }));
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(errs, (std::vector<std::string>(5, "")));
}

// model.md section 3: "cancelling a pending event removes it"
TEST(Cancel, PendingEventIsRemovedAndNeverRuns) {
  Machine m;
  bool ran = false;
  m.create_thread("A", [&] {
    EVENTHANDLE h = Schedule_Global_Event([&](const EventContext&) { ran = true; }, 0);
    Cancel_Global_Event(h);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(ran);
  EXPECT_DOUBLE_EQ(r.end_ms, 1);
}

// model.md section 3: cancelling "removes it and its boost"
TEST(Cancel, CancelRemovesThreadEventBoost) {
  Machine m;
  Priority before = -1, queued = -1, after = -1;
  bool ran = false;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); ring3(1); }, 0x200);
  m.create_thread("A", [&] {
    before = thread_priority(B);
    EVENTHANDLE h = Call_Restricted_Event(Low_Pri_Device_Boost, B, PEF_Thread_Event | PEF_Always_Sched | PEF_Dont_Unboost, 0,
                                          [&](const EventContext&) { ran = true; });
    queued = thread_priority(B);
    Cancel_Restricted_Event(h);
    after = thread_priority(B);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_FALSE(ran);
  EXPECT_EQ(before, 0x200);
  EXPECT_EQ(queued, 0x200 + Low_Pri_Device_Boost);
  EXPECT_EQ(after, 0x200);
}

// model.md section 3: a pending event may be cancelled from interrupt time (event services may be
// called there) and a cancelled event's time-out no longer fires
TEST(Cancel, CancelAtInterruptTimeAlsoDropsTheTimeOut) {
  Machine m;
  bool ran = false;
  EVENTHANDLE h = 0;
  m.create_thread("A", [&] {
    cli();
    h = Call_Restricted_Event(0, 0, PEF_Wait_For_Thread_STI | PEF_Time_Out, 0, [&](const EventContext&) { ran = true; }, 8);
    ring3(20);
    sti();
    ring3(1);
  });
  m.at(3, [&] { Cancel_Restricted_Event(h); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_NE(h, 0u);
  EXPECT_FALSE(ran);
  EXPECT_DOUBLE_EQ(r.end_ms, 21);
}

// model.md section 3: "cancelling a handle that already ran ... is an error ("stale event handle")"
TEST(Cancel, HandleOfEventThatAlreadyRanIsStale) {
  Machine m;
  std::string err;
  int runs = 0;
  m.create_thread("A", [&] {
    EVENTHANDLE h = Schedule_Global_Event([&](const EventContext&) { ++runs; }, 0);
    ring3(1);
    err = error_of([&] { Cancel_Global_Event(h); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(starts_with(err, "Cancel_Global_Event")) << err;
  EXPECT_TRUE(contains(err, "stale")) << err;
}

// model.md section 3: cancelling a handle that "was cancelled is an error ("stale event handle")",
// even once its slot has been reused by a new event
TEST(Cancel, HandleCancelledTwiceIsStaleEvenAfterReuse) {
  Machine m;
  std::string err1, err2;
  bool second_ran = false;
  m.create_thread("A", [&] {
    EVENTHANDLE h = Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, [](const EventContext&) {});
    Cancel_Restricted_Event(h);
    err1 = error_of([&] { Cancel_Restricted_Event(h); });
    EVENTHANDLE h2 = Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, [&](const EventContext&) { second_ran = true; });
    err2 = error_of([&] { Cancel_Restricted_Event(h); });  // the old handle must not cancel the new event
    EXPECT_NE(h2, h);
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(err1, "Cancel_Restricted_Event")) << err1;
  EXPECT_TRUE(contains(err1, "stale")) << err1;
  EXPECT_TRUE(starts_with(err2, "Cancel_Restricted_Event")) << err2;
  EXPECT_TRUE(second_ran);
}

// model.md section 3: "and so is a handle given to the wrong Cancel_* service"; the event stays pending
TEST(Cancel, HandleGivenToTheWrongCancelServiceIsAnError) {
  Machine m;
  std::vector<std::string> errs;
  std::vector<std::string> ran;
  m.create_thread("A", [&] {
    VMHANDLE sys = Get_Sys_VM_Handle();
    THREADHANDLE me = Get_Cur_Thread_Handle();
    EVENTHANDLE g = Schedule_Global_Event([&](const EventContext&) { ran.push_back("global"); }, 0);
    EVENTHANDLE v = Schedule_VM_Event(sys, [&](const EventContext&) { ran.push_back("vm"); }, 0);
    EVENTHANDLE t = Schedule_Thread_Event(me, [&](const EventContext&) { ran.push_back("thread"); }, 0);
    EVENTHANDLE p = Call_Priority_VM_Event(0, sys, PEF_Always_Sched, 0, [&](const EventContext&) { ran.push_back("priority"); });
    EVENTHANDLE x = Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, [&](const EventContext&) { ran.push_back("restricted"); });
    errs.push_back(error_of([&] { Cancel_VM_Event(sys, g); }));
    errs.push_back(error_of([&] { Cancel_Global_Event(v); }));
    errs.push_back(error_of([&] { Cancel_Global_Event(t); }));
    errs.push_back(error_of([&] { Cancel_Restricted_Event(p); }));
    errs.push_back(error_of([&] { Cancel_Priority_VM_Event(x); }));
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  ASSERT_EQ(errs.size(), 5u);
  EXPECT_TRUE(starts_with(errs[0], "Cancel_VM_Event")) << errs[0];
  EXPECT_TRUE(starts_with(errs[1], "Cancel_Global_Event")) << errs[1];
  EXPECT_TRUE(starts_with(errs[2], "Cancel_Global_Event")) << errs[2];
  EXPECT_TRUE(starts_with(errs[3], "Cancel_Restricted_Event")) << errs[3];
  EXPECT_TRUE(starts_with(errs[4], "Cancel_Priority_VM_Event")) << errs[4];
  // Nothing was cancelled: every event still runs (global, then VM, then thread class).
  EXPECT_EQ(ran, (std::vector<std::string>{"global", "restricted", "vm", "priority", "thread"}));
}

// DDK Cancel_Thread_Event: "EDI=thread — must match the scheduling thread"
TEST(Cancel, CancelThreadEventWithAnotherThreadIsAnError) {
  Machine m;
  std::string err;
  bool ran = false;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, 0); ring3(1); }, 0x200);
  m.create_thread("A", [&] {
    EVENTHANDLE h = Schedule_Thread_Event(B, [&](const EventContext&) { ran = true; }, 0);
    err = error_of([&] { Cancel_Thread_Event(Get_Cur_Thread_Handle(), h); });
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(err, "Cancel_Thread_Event")) << err;
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace vmmsim::test
