// block_id_test.cpp: _BlockOnID / _SignalID (seed 002) and servicing events while blocked
// (seed 000, model.md section 2): the Block_* flags and the critical-section condition.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// seed 002: "This service always blocks the current thread on the ID passed."; model.md section 5:
// _SignalID "remembers nothing: a signal before the block is lost"
TEST(BlockId, BlockOnIdAlwaysBlocksEvenIfSignalledJustBefore) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    _SignalID(1);
    tr("signalled");
    _BlockOnID(1, 0);
    tr("A woke");
  });
  m.at(5, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"signalled@0", "A woke@5"}));
}

// seed 002: "When the ID is signaled with _SignalID all of the threads currently blocked on the ID
// will unblock."
TEST(BlockId, SignalIdWakesEveryThreadBlockedOnThatIdOnly) {
  Machine m;
  Trace tr;
  m.create_thread("C", [&] { _BlockOnID(2, 0); tr("C woke"); }, 0x400);
  m.create_thread("B2", [&] { _BlockOnID(1, 0); tr("B2 woke"); }, 0x300);
  m.create_thread("B1", [&] { _BlockOnID(1, 0); tr("B1 woke"); }, 0x200);
  m.create_thread("A", [&] {
    _SignalID(1);
    ring3(1);
    tr("A mid");
    _SignalID(2);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"B2 woke@0", "B1 woke@0", "A mid@1", "C woke@1"}));
}

// seed 002: "when this service returns the caller must check for a spurious wake up and call
// _BlockOnID again if this has occurred"
TEST(BlockId, SpuriousWakeUpIsHandledByARecheckLoop) {
  Machine m;
  Trace tr;
  bool ready = false;
  m.create_thread("A", [&] {
    while (!ready) {
      _BlockOnID(1, 0);
      tr("A woke");
    }
    tr("A proceeds");
  });
  m.at(3, [] { _SignalID(1); });  // an unrelated signal of the same ID: spurious
  m.at(6, [&] { ready = true; _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"A woke@3", "A woke@6", "A proceeds@6"}));
}

// model.md section 2: a thread blocked with Block_Svc_Ints "processes them at ring 0 ..., and blocks
// again unless its wait has been satisfied meanwhile"
TEST(BlockId, BlockSvcIntsServicesEventsThenBlocksAgainUnlessSatisfied) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); tr("B woke"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); tr("A done"); }, 0x100);
  m.at(3, [&] { Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb1 on " + name(e.thread)); }, 0); });
  m.at(6, [&] {
    Schedule_Thread_Event(B, [&](const EventContext& e) {
      tr("cb2 on " + name(e.thread));
      _SignalID(1);  // satisfies B's own wait while it services
    }, 0);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb1 on B@3", "cb2 on B@6", "B woke@6", "A done@10"}));
}

// model.md section 2: a blocked servicing thread "processes them at ring 0 (it never runs ring-3 code)"
TEST(BlockId, BlockedServicingThreadMayNotRunRing3Code) {
  Machine m;
  std::string err;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); }, 0x200);
  m.create_thread("A", [&] {
    Schedule_Thread_Event(B, [&](const EventContext&) { err = error_of([] { ring3(1); }); }, 0);
    ring3(1);
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(err, "ring3")) << err;
}

// model.md section 2: "Block_Enable_Ints makes its IF count as set while it services events"
TEST(BlockId, BlockEnableIntsMakesIfCountAsSetWhileServicing) {
  Machine m;
  Trace tr;
  EVENTHANDLE b_after = 0;
  THREADHANDLE B = nullptr, C = nullptr;
  B = m.create_thread("B", [&] {
    cli();
    _BlockOnID(1, Block_Svc_Ints | Block_Enable_Ints);
    tr("B woke");
    // Its IF is clear again once it no longer services: a thread-STI event for itself is queued.
    b_after = Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, [](const EventContext&) {});
    sti();
    ring3(0);
  }, 0x200);
  C = m.create_thread("C", [&] {
    cli();
    _BlockOnID(2, Block_Svc_Ints);
    tr("C woke");
    sti();
    ring3(1);
  }, 0x300);
  m.create_thread("A", [&] { ring3(10); _SignalID(1); _SignalID(2); }, 0x100);
  m.at(3, [&] {
    auto cb = [&](const EventContext& e) { tr("cb on " + name(e.thread)); };
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, cb);
    Call_Restricted_Event(0, C, PEF_Thread_Event | PEF_Wait_For_Thread_STI, 0, cb);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on B@3", "C woke@10", "cb on C@10", "B woke@11"}));
  EXPECT_NE(b_after, 0u);
}

// seed 002: "Block_Svc_If_Ints_Locked: Service interrupts in the virtual machine even if the virtual
// machine is blocked, and the VMStat_V86IntsLocked flag is set."
TEST(BlockId, BlockSvcIfIntsLockedServicesOnlyWhileV86IntsLocked) {
  Machine m;
  Trace tr;
  VMHANDLE V1 = m.create_vm("V1", [&] {
    set_v86_ints_locked(true);
    _BlockOnID(1, Block_Svc_If_Ints_Locked);
    tr("V1 woke");
  }, 0x200);
  VMHANDLE V2 = m.create_vm("V2", [&] {
    _BlockOnID(2, Block_Svc_If_Ints_Locked);  // V86IntsLocked clear: services nothing
    tr("V2 woke");
    ring3(1);
  }, 0x300);
  m.create_thread("A", [&] { ring3(10); _SignalID(1); _SignalID(2); }, 0x100);
  m.at(3, [&] {
    auto cb = [&](const EventContext& e) { tr("cb on " + name(e.thread)); };
    Call_Restricted_Event(0, V1, 0, 0, cb);
    Call_Restricted_Event(0, V2, 0, 0, cb);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on V1@3", "V2 woke@10", "cb on V2@10", "V1 woke@11"}));
}

// model.md section 2: "A blocked thread services events only while the critical section is free or
// owned by itself"
TEST(BlockId, BlockedThreadServicesEventsOnlyWhileSectionIsFreeOrItsOwn) {
  {  // owned by another thread: B waits until C releases
    Machine m;
    Trace tr;
    m.create_thread("C", [&] { Begin_Critical_Section(0); _BlockOnID(3, 0); End_Critical_Section(); tr("C released"); }, 0x300);
    THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); tr("B woke"); }, 0x200);
    m.create_thread("A", [&] { ring3(10); _SignalID(3); ring3(5); _SignalID(1); }, 0x100);
    m.at(3, [&] { Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
    RunResult r = m.run();
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_EQ(tr.lines, (Lines{"C released@10", "cb on B@10", "B woke@15"}));
  }
  {  // owned by the blocked thread itself: it services at once
    Machine m;
    Trace tr;
    THREADHANDLE B = m.create_thread("B", [&] { Begin_Critical_Section(0); _BlockOnID(1, Block_Svc_Ints); End_Critical_Section(); tr("B woke"); }, 0x200);
    m.create_thread("A", [&] { ring3(10); _SignalID(1); }, 0x100);
    m.at(3, [&] { Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
    RunResult r = m.run();
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_EQ(tr.lines, (Lines{"cb on B@3", "B woke@10"}));
  }
}

// model.md section 2: "unless it blocked with Block_Force_Svc_Ints (DDK, Wait_Semaphore); then it
// services them anyway"; "this holds for every blocking service"
TEST(BlockId, BlockForceSvcIntsServicesEvenWhileAnotherThreadOwnsTheSection) {
  Machine m;
  Trace tr;
  m.create_thread("C", [&] { Begin_Critical_Section(0); _BlockOnID(3, 0); End_Critical_Section(); }, 0x300);
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints | Block_Force_Svc_Ints); tr("B woke"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); _SignalID(3); _SignalID(1); }, 0x100);
  m.at(3, [&] { Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on B@3", "B woke@10"}));
}

// model.md section 2: with Block_Force_Svc_Ints it services "holding the section while it does if
// the section is free — and its events' restrictions are judged as if it already held the section
// and its boost"
TEST(BlockId, BlockForceSvcIntsHoldsTheFreeSectionAndItsBoostWhileServicing) {
  Machine m;
  Trace tr;
  Priority in_cb = -1, after = -1;
  THREADHANDLE B = nullptr;
  B = m.create_thread("B", [&] {
    _BlockOnID(1, Block_Svc_Ints | Block_Force_Svc_Ints);
    tr("B woke");
    after = thread_priority(B);
    ring3(1);
  }, 0x200);
  m.create_thread("A", [&] { ring3(10); _SignalID(1); }, 0x100);
  m.at(3, [&] {
    Schedule_Thread_Event(B, [&](const EventContext& e) { in_cb = thread_priority(e.thread); tr("cb1 on " + name(e.thread)); }, 0);
    // Judged as if B held the section: PEF_Wait_Not_Crit fails while B is blocked.
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Wait_Not_Crit, 0, [&](const EventContext& e) { tr("cb2 on " + name(e.thread)); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(in_cb, 0x200 + Critical_Section_Boost);
  EXPECT_EQ(after, 0x200);
  EXPECT_EQ(tr.lines, (Lines{"cb1 on B@3", "B woke@10", "cb2 on B@10"}));
}

// model.md section 2: "a PEF_Ring0_Event is processable by a blocked thread even when it blocked
// without the servicing flags" — for every blocking service, a semaphore here
TEST(BlockId, Ring0EventIsProcessedByThreadBlockedWithoutServicingFlags) {
  Machine m;
  Trace tr;
  SEMHANDLE s = 0;
  VMHANDLE V = m.create_vm("V", [&] { s = Create_Semaphore(0); Wait_Semaphore(s, 0); tr("V woke"); }, 0x200);
  m.create_thread("A", [&] { ring3(10); Signal_Semaphore(s); }, 0x100);
  m.at(3, [&] {
    Call_Restricted_Event(0, V, PEF_Ring0_Event, 0, [&](const EventContext& e) { tr("ring0 on " + name(e.thread)); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"ring0 on V@3", "V woke@10"}));
}

// model.md section 2: a thread blocked servicing events that "has processable events" is eligible
// and "processes them at ring 0 ... and blocks again": also when they were already pending as it blocked
TEST(BlockId, ThreadBlockingWithItsOwnEventPendingServicesItAtOnce) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Schedule_Thread_Event(Get_Cur_Thread_Handle(), [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0);
    _BlockOnID(1, Block_Svc_Ints);  // no processing point in between: the event is still pending
    tr("A woke");
  });
  m.at(5, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on A@0", "A woke@5"}));
}

// model.md section 3: "_SignalID may be called" at interrupt time, and it wakes a blocked thread
// whose wake-up then takes effect at the processing point after the interrupt
TEST(BlockId, SignalAtInterruptTimeWakesHigherPriorityThreadAtTheReturn) {
  Machine m;
  Trace tr;
  m.create_thread("H", [&] { _BlockOnID(1, 0); tr("H woke"); }, 0x200);
  m.create_thread("L", [&] { ring3(10); tr("L done"); }, 0x100);
  m.at(4.25, [] { _SignalID(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"H woke@4.25", "L done@10"}));
}

// seed 002: "Block_Enable_Ints ... This value is only relevant if either Block_Svc_Ints or
// Block_Svc_If_Ints is set": alone, the thread services nothing
TEST(BlockId, BlockEnableIntsAloneServicesNothing) {
  Machine m;
  Trace tr;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Enable_Ints); tr("B woke"); ring3(1); }, 0x200);
  m.create_thread("A", [&] { ring3(10); _SignalID(1); }, 0x100);
  m.at(3, [&] { Schedule_Thread_Event(B, [&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"B woke@10", "cb on B@10"}));
}
}  // namespace
}  // namespace vmmsim::test
