// time_slice_test.cpp: Release_Time_Slice, Wake_Up_VM and Call_When_Idle (DDK pages of the same
// names; src/scheduler/time_slice.cpp, src/events/event_services.cpp).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// DDK "Release_Time_Slice": "other System-VM threads: yield only if another thread of equal or
// higher priority is ready".
TEST(TimeSlice, ASystemVmThreadYieldsOnlyToAnEqualOrHigherReadyThread) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Release_Time_Slice();  // B is ready with the same priority: A yields
    tr("A back");
    Release_Time_Slice();  // only C, of lower priority, is ready: A keeps the CPU
    tr("A kept it");
  }, 2);
  m.create_thread("B", [&] { tr("B"); }, 2);
  m.create_thread("C", [&] { tr("C"); }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"B@0", "A back@0", "A kept it@0", "C@0"}));
}

// DDK "Release_Time_Slice": "non-system VM: idles the VM"; "Wake_Up_VM: un-idles a VM".
TEST(TimeSlice, AVmThatReleasesItsSliceIdlesUntilWakeUpVm) {
  Machine m;
  Trace tr;
  VMHANDLE v = m.create_vm("V", [&] {
    Release_Time_Slice();
    tr("V runs again");
  }, 5);
  m.create_thread("A", [&] {
    ring3(3);  // V, of higher priority, is idle: A keeps the CPU
    tr("A wakes V");
    Wake_Up_VM(v);
    Wake_Up_VM(v);  // DDK: no-op if not idle
    ring3(1);
  }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A wakes V@3", "V runs again@3"}));
}

// Decided (docs/model.md): an event queued for an idle VM wakes it.
TEST(TimeSlice, AnEventForAnIdleVmWakesIt) {
  Machine m;
  Trace tr;
  // Back from Release_Time_Slice, V returns to ring-3 code: that transition processes the event.
  VMHANDLE v = m.create_vm("V", [&] { Release_Time_Slice(); ring3(1); tr("V back"); }, 5);
  m.at(2, [&] { Schedule_VM_Event(v, [&](const EventContext& e) { tr("event on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"event on V@2", "V back@3"}));
}

TEST(TimeSlice, AnIdleVmThatNothingWakesIsNamedInTheStuckDiagnosis) {
  Machine m;
  m.create_vm("V", [] { Release_Time_Slice(); }, 5);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck) << r.message;
  EXPECT_TRUE(contains(r.message, "its VM V is idle (Release_Time_Slice) until Wake_Up_VM")) << r.message;
}

// DDK "Call_When_Idle": "registered callbacks are called in installation order until one returns
// CF=0"; here, until one returns true. Permanent: every idle period runs the chain again.
TEST(TimeSlice, CallWhenIdleRunsTheChainInOrderUntilOneUsesTheIdleTime) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Call_When_Idle([&](const EventContext& e) { tr("first on " + name(e.thread)); return false; });
    Call_When_Idle([&](const EventContext&) { tr("second"); return true; });
    Call_When_Idle([&](const EventContext&) { tr("third"); return false; });
    _BlockOnID(1, 0);
    tr("A woken");
  });
  m.at(5, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"first on sys@0", "second@0", "A woken@5", "first on sys@5", "second@5"}));
}

}  // namespace
}  // namespace vmmsim::test
