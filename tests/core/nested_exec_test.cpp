// nested_exec_test.cpp: Begin_Nest_Exec / Resume_Exec / Exec_Int / End_Nest_Exec (seed 000, model.md
// sections 2 and 4): processing points, and the seed's Resume_Exec-loop deadlock.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using Lines = std::vector<std::string>;

// seed 000: "Thread A initiates an asynchronous operation, then goes into a Resume_Exec loop ... the
// code that completes the operation resides in an event callback procedure whose event was scheduled
// for thread B. If the priority of thread B does not exceed that of thread A, the event will never be
// processed"; model.md section 6: the run ends starved
TEST(NestedExec, ResumeExecLoopWaitingOnEqualPriorityThreadsEventStarves) {
  Machine m;
  bool done = false;
  int loops = 0;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); }, 0x100);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Always_Sched, 0, [&](const EventContext&) { done = true; });
    Begin_Nest_Exec();
    while (!done) {
      Resume_Exec();
      ++loops;
    }
    End_Nest_Exec();
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::starved) << r.message;
  EXPECT_EQ(exit_code(r.outcome), 4);
  EXPECT_FALSE(done);
  // B has been eligible since 0; it starves once it has waited more than starve_ms (1000 ms).
  EXPECT_GE(r.end_ms, 1000);
  EXPECT_LE(r.end_ms, 1001);
  EXPECT_GE(loops, 999);
  EXPECT_TRUE(starts_with(r.message, "starved:")) << r.message;
  EXPECT_TRUE(contains(r.message, "B")) << r.message;
  EXPECT_TRUE(contains(r.message, "Resume_Exec")) << r.message;
}

// seed 000: the hang happens only "If the priority of thread B does not exceed that of thread A":
// a strictly higher B preempts A at the Resume_Exec processing point
TEST(NestedExec, HigherPriorityThreadBreaksTheResumeExecLoop) {
  Machine m;
  Trace tr;
  bool done = false;
  THREADHANDLE B = m.create_thread("B", [&] { _BlockOnID(1, Block_Svc_Ints); tr("B woke"); }, 0x101);
  m.create_thread("A", [&] {
    Call_Restricted_Event(0, B, PEF_Thread_Event | PEF_Always_Sched, 0, [&](const EventContext& e) {
      done = true;
      tr("cb on " + name(e.thread));
    });
    Begin_Nest_Exec();
    while (!done) Resume_Exec();
    End_Nest_Exec();
    tr("A out of loop");
    _SignalID(1);
  }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on B@0", "A out of loop@1", "B woke@1"}));
}

// seed 000: "when a nested execution service like Resume_Exec or Exec_Int is about to transfer
// control to ring 3 code" events are processed
TEST(NestedExec, ResumeExecAndExecIntAreProcessingPoints) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Begin_Nest_Exec();
    Schedule_Global_Event([&](const EventContext&) { tr("cb1"); }, 0);
    tr("queued 1");
    Resume_Exec(2);
    Schedule_Global_Event([&](const EventContext&) { tr("cb2"); }, 0);
    tr("queued 2");
    Exec_Int(0x21, 3);
    tr("after Exec_Int");
    End_Nest_Exec();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"queued 1@0", "cb1@0", "queued 2@2", "cb2@2", "after Exec_Int@5"}));
}

// model.md section 4: "the return from every interrupt ... that arrived while T ran ring-3 code
// (ring3, hw_int, nested execution)" is a processing point
TEST(NestedExec, InterruptDuringResumeExecReturnsThroughAProcessingPoint) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Begin_Nest_Exec();
    Resume_Exec(10);
    End_Nest_Exec();
    tr("A done");
  });
  m.at(3, [&] { Schedule_Global_Event([&](const EventContext& e) { tr("cb on " + name(e.thread)); }, 0); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"cb on A@3", "A done@10"}));
}

// model.md section 1: a thread has "a nested-execution depth": blocks nest, and the depth is 0 only
// after the last End_Nest_Exec
TEST(NestedExec, NestedBlocksNestUntilTheLastEnd) {
  Machine m;
  Trace tr;
  m.create_thread("A", [&] {
    Begin_Nest_Exec();
    Begin_Nest_Exec();
    Call_Restricted_Event(0, 0, PEF_Wait_Not_Nested_Exec, 0, [&](const EventContext&) { tr("cb"); });
    End_Nest_Exec();
    Resume_Exec(1);  // depth 1: still nested
    tr("depth 1");
    End_Nest_Exec();
    ring3(1);
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(tr.lines, (Lines{"depth 1@1", "cb@1"}));
}

// DDK "Begin_Nest_Exec": Resume_Exec / Exec_Int run "inside a nested block"; End_Nest_Exec closes one:
// without Begin_Nest_Exec each is a misuse naming the service
TEST(NestedExec, EndNestExecOrResumeExecWithoutBeginIsAnError) {
  Machine m;
  std::string end_err, resume_err, int_err;
  m.create_thread("A", [&] {
    end_err = error_of([] { End_Nest_Exec(); });
    resume_err = error_of([] { Resume_Exec(1); });
    int_err = error_of([] { Exec_Int(0x21, 1); });
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(starts_with(end_err, "End_Nest_Exec")) << end_err;
  EXPECT_TRUE(starts_with(resume_err, "Resume_Exec")) << resume_err;
  EXPECT_TRUE(starts_with(int_err, "Exec_Int")) << int_err;
  EXPECT_DOUBLE_EQ(r.end_ms, 0);
}

// model.md section 1: "A body that returns while its thread ... is inside nested execution is an error"
TEST(NestedExec, BodyReturningInsideNestedExecutionIsAnError) {
  Machine m;
  m.create_thread("Nester", [] { Begin_Nest_Exec(); Resume_Exec(1); });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(contains(r.message, "Nester")) << r.message;
  EXPECT_TRUE(contains(r.message, "nested")) << r.message;
}

}  // namespace
}  // namespace vmmsim::test
