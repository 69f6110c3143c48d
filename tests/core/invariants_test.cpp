// invariants_test.cpp: the kernel's invariants (src/core/invariants.cpp; issue 11 item 5). Each
// death test breaks one by hand, through the private headers, the way a bug in a subsystem would,
// and the next processing point must stop the run naming the invariant and the services called
// last. The walks run only in builds with VMMSIM_ASSERTIONS (debug, sanitizers); the always-on
// subset everywhere.
#include <gtest/gtest.h>

#include <memory>

#include "core/kernel.hpp"
#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using detail::current_kernel;

// GTEST_SKIP returns from the function it is in: a macro, so that it leaves the test.
#define SKIP_WITHOUT_ASSERTIONS()                                                             \
  if (!detail::assertions_enabled()) GTEST_SKIP() << "the invariant walks run only with VMMSIM_ASSERTIONS"

TEST(InvariantsDeathTest, ABoostNoServicePutThereIsNamedWithTheLastServices) {
  SKIP_WITHOUT_ASSERTIONS();
  EXPECT_DEATH(
      {
        Machine m;
        VMHANDLE vm = m.create_vm("V", [] { _BlockOnID(7, 0); });  // its VM event waits
        m.create_thread("T", [vm] {
          EVENTHANDLE h = Call_Priority_VM_Event(Low_Pri_Device_Boost, vm, 0, 0, [](const EventContext&) {}, 0);
          current_kernel()->events().lookup(h)->boost += 1;  // the VM's boost no longer adds up
          ring3(1);
        });
        m.run();
      },
      "invariant: VM V holds boosts of 0x10, but the services put 0x11 there.*\n.*services called last.*"
      "Call_Priority_VM_Event");
}

TEST(InvariantsDeathTest, AnEventInAnotherTargetsQueueIsNamed) {
  SKIP_WITHOUT_ASSERTIONS();
  EXPECT_DEATH(
      {
        Machine m;
        THREADHANDLE other = m.create_thread("other", [] { _BlockOnID(1, 0); });
        m.create_thread("T", [other] {
          EVENTHANDLE h = Schedule_Thread_Event(other, [](const EventContext&) {}, 0);
          current_kernel()->events().lookup(h)->kind = EventTargetKind::global;
          ring3(1);
        });
        m.run();
      },
      "invariant: event #1 is in a thread's queue, which is not its place");
}

TEST(InvariantsDeathTest, AMutexOwnerWithoutItsBoostIsNamed) {
  SKIP_WITHOUT_ASSERTIONS();
  EXPECT_DEATH(
      {
        Machine m;
        MUTEXHANDLE mx = m.create_mutex(Low_Pri_Device_Boost, 0);
        m.create_thread("T", [mx] {
          auto& mutex = const_cast<detail::Mutex&>(current_kernel()->mutexes().get(mx));
          mutex.owner = Get_Cur_Thread_Handle();  // owned without _EnterMutex's boost
          mutex.count = 1;
          ring3(1);
        });
        m.run();
      },
      "invariant: T holds boosts of 0x0, but the services put 0x10 there");
}

TEST(InvariantsDeathTest, AReadyThreadOutOfTheReadyQueueIsNamed) {
  SKIP_WITHOUT_ASSERTIONS();
  EXPECT_DEATH(
      {
        Machine m;
        THREADHANDLE b = m.create_thread("B", [] {});
        m.create_thread("A", [b] {
          b->idle = true;  // as if B were the idle thread: it may not wait in the ready queue
          ring3(1);
        }, 1);
        m.run();
      },
      "invariant: ready thread B is in the ready queue");
}

TEST(Invariants, HoldThroughARunThatUsesEveryKindOfBoost) {
  // The walks at every processing point of a run with event, VM, thread, mutex and critical-section
  // boosts moving about: none fires (the death tests above show they would).
  Machine m;
  MUTEXHANDLE mx = m.create_mutex(Low_Pri_Device_Boost, 0);
  auto done = std::make_shared<bool>(false);
  VMHANDLE vm = m.create_vm("V", [done] {
    while (!*done) _BlockOnID(7, Block_Svc_Ints);
  });
  THREADHANDLE b = m.create_thread("B", [mx] {
    _EnterMutex(mx, 0);
    ring3(1);
    _LeaveMutex(mx);
  });
  m.create_thread("A", [=] {  // runs first (priority 5); blocks holding the mutex, so B waits for it
    _EnterMutex(mx, 0);
    Adjust_Exec_Priority(High_Pri_Device_Boost, vm);
    Call_Priority_VM_Event(Low_Pri_Device_Boost, vm, 0, 0, [](const EventContext&) {}, 0);
    Call_Restricted_Event(Time_Critical_Boost, b, PEF_Thread_Event, 0, [](const EventContext&) {}, 0);
    Adjust_Thread_Exec_Priority(Reserved_Low_Boost, b);
    _BlockOnID(9, 0);  // the interrupt at 3 ms signals it
    Begin_Critical_Section(0);
    ring3(2);
    End_Critical_Section();
    _LeaveMutex(mx);  // hands it to B with its boost
    Adjust_Exec_Priority(-High_Pri_Device_Boost, vm);
    *done = true;
    _SignalID(7);
  }, 5);
  m.at(3, [] { _SignalID(9); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

}  // namespace
}  // namespace vmmsim::test
