// mutex_test.cpp: the VMM's mutexes (DDK "_CreateMutex", "_EnterMutex", "_LeaveMutex",
// "_DestroyMutex", "_GetMutexOwner"; src/sync/mutexes.cpp).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// DDK "_EnterMutex": "owned by the caller: the entry count goes up"; "_LeaveMutex": "Count > 1:
// decrement; count 1: unowned".
TEST(Mutex, EntriesByTheOwnerNestAndNeedAsManyLeaves) {
  Machine m;
  Trace tr;
  MUTEXHANDLE mx = m.create_mutex(0, 0);
  m.create_thread("A", [&] {
    _EnterMutex(mx, 0);
    _EnterMutex(mx, 0);
    _LeaveMutex(mx);
    tr("owner after one leave: " + name(_GetMutexOwner(mx)));
    _LeaveMutex(mx);
    tr("owner after two: " + name(_GetMutexOwner(mx)));
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"owner after one leave: A@0", "owner after two: -@0"}));
}

// DDK "_CreateMutex": "The owner is boosted by Boost; a thread waiting for it gets half of Boost."
TEST(Mutex, TheOwnerHoldsTheBoostAndAWaiterHalfOfIt) {
  Machine m;
  Trace tr;
  MUTEXHANDLE mx = m.create_mutex(0x1000, 0);
  THREADHANDLE a = nullptr, b = nullptr;
  a = m.create_thread("A", [&] {
    _EnterMutex(mx, 0);
    tr(fmt::format("A 0x{:X}", thread_priority(a)));
    _BlockOnID(1, 0);  // B runs and waits
    tr(fmt::format("A 0x{:X} B 0x{:X}", thread_priority(a), thread_priority(b)));
    _LeaveMutex(mx);
    tr(fmt::format("A 0x{:X} B 0x{:X}", thread_priority(a), thread_priority(b)));
  }, 0x200);
  b = m.create_thread("B", [&] {
    _EnterMutex(mx, 0);
    _LeaveMutex(mx);
  }, 0x100);
  m.at(1, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A 0x1200@0", "A 0x1200 B 0x900@1", "A 0x200 B 0x1100@1"}));
}

// DDK "_LeaveMutex": "the highest-priority waiter is released" (FIFO among equals, as for semaphores).
TEST(Mutex, TheLastLeaveHandsItToTheHighestPriorityWaiter) {
  Machine m;
  Trace tr;
  MUTEXHANDLE mx = m.create_mutex(0, 0);
  m.create_thread("owner", [&] {
    _EnterMutex(mx, 0);
    _BlockOnID(1, 0);
    _LeaveMutex(mx);
  }, 5);
  for (auto [n, p] : {std::pair{"low", 1}, std::pair{"high-1", 3}, std::pair{"high-2", 3}})
    m.create_thread(n, [&, who = std::string(n)] {
      _EnterMutex(mx, 0);
      tr(who);
      _LeaveMutex(mx);
    }, p);
  m.at(5, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"high-1@5", "high-2@5", "low@5"}));
}

TEST(Mutex, MayBeCreatedAtSetUpAndItsMisusesAreErrors) {
  Machine m;
  MUTEXHANDLE mx = m.create_mutex(0, MUTEX_MUST_COMPLETE | MUTEX_NO_CLEANUP_THREAD_STATE);
  std::vector<std::string> errors;
  m.create_thread("A", [&] {
    errors.push_back(error_of([&] { _LeaveMutex(mx); }));
    _EnterMutex(mx, 0);
    errors.push_back(error_of([&] { _DestroyMutex(mx); }));
    errors.push_back(error_of([&] { _EnterMutex(mx, Block_Poll); }));
    errors.push_back(error_of([&] { _CreateMutex(0, 4); }));
    errors.push_back(error_of([&] { _EnterMutex(99, 0); }));
    _LeaveMutex(mx);
    _DestroyMutex(mx);
    errors.push_back(error_of([&] { _EnterMutex(mx, 0); }));
  });
  m.create_thread("B", [&] { errors.push_back(error_of([&] { _LeaveMutex(mx); })); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(errors, (Lines{
                        "_LeaveMutex: mutex #1 is not owned (no matching _EnterMutex)",
                        "_DestroyMutex: mutex #1 is owned by A; it must be left first",
                        "_EnterMutex: Block_Poll is reserved for this service (DDK)",
                        "_CreateMutex: unknown flag bits 0x4 (MUTEX_MUST_COMPLETE = 1, MUTEX_NO_CLEANUP_THREAD_STATE = 2)",
                        "_EnterMutex: unknown mutex handle 99",
                        "_EnterMutex: mutex #1 was destroyed (_DestroyMutex)",
                        "_LeaveMutex: mutex #1 was destroyed (_DestroyMutex)",
                    }));
}

TEST(Mutex, LeaveByAThreadThatDoesNotOwnItIsAnError) {
  Machine m;
  std::string error;
  MUTEXHANDLE mx = m.create_mutex(0, 0);
  m.create_thread("A", [&] { _EnterMutex(mx, 0); _BlockOnID(1, 0); _LeaveMutex(mx); }, 2);
  m.create_thread("B", [&] { error = error_of([&] { _LeaveMutex(mx); }); _SignalID(1); }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(error, "_LeaveMutex: B does not own mutex #1 (A does)");
}

TEST(Mutex, ABodyReturningWhileOwningOneIsAnError) {
  Machine m;
  MUTEXHANDLE mx = m.create_mutex(0, 0);
  m.create_thread("A", [&] { _EnterMutex(mx, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, "A: body returned while owning mutex #1 (missing _LeaveMutex)");
}

// A waiter blocks like every other blocking service: with Block_Svc_Ints it services events.
TEST(Mutex, AWaiterWithBlockSvcIntsServicesEvents) {
  Machine m;
  Trace tr;
  MUTEXHANDLE mx = m.create_mutex(0, 0);
  THREADHANDLE w = nullptr;
  m.create_thread("owner", [&] {
    _EnterMutex(mx, 0);
    _BlockOnID(1, 0);
    _LeaveMutex(mx);
  }, 2);
  w = m.create_thread("waiter", [&] { _EnterMutex(mx, Block_Svc_Ints); tr("owns"); _LeaveMutex(mx); }, 1);
  m.at(1, [&] { Schedule_Thread_Event(w, [&](const EventContext& e) { tr("event on " + name(e.thread)); }, 0); });
  m.at(2, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"event on waiter@1", "owns@2"}));
}

}  // namespace
}  // namespace vmmsim::test
