// annotations_test.cpp: the annotation records (core/kernel.cpp annotate; LogRecord::annotation):
// made only for a sink that wants them; a "thread" record per thread at the run's start and on
// create; a "priority" record when another thread's priority changes; an "event_done" record after
// each callback; the event records' target_kind/target_name/boost/flags fields.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

struct AnnotatedSink : CollectingSink {
  bool wants_annotations() const override { return true; }
};

const LogField* field(const LogRecord& r, const std::string& key) {
  for (const LogField& f : r.fields)
    if (f.key == key) return &f;
  return nullptr;
}

std::string dump(const CollectingSink& sink) {
  std::string out;
  for (const LogRecord& r : sink.records) out += r.thread + " " + r.kind + " " + r.text + "\n";
  return out;
}

// A boosts B with a thread event that B runs once A blocks.
void scenario(Machine& m) {
  THREADHANDLE b = m.create_thread("B", [] { _BlockOnID(7, Block_Svc_Ints); }, 0x100);
  m.create_thread("A", [b] {
    Call_Restricted_Event(0x10, b, PEF_Always_Sched | PEF_Thread_Event, 0, [](const EventContext&) { _SignalID(7); });
    _BlockOnID(8, 0);
  }, 0x200);
}

TEST(Annotations, NotMadeForASinkThatDoesNotWantThem) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  scenario(m);
  m.run();
  for (const LogRecord& r : sink.records) EXPECT_FALSE(r.annotation) << r.kind;
  EXPECT_FALSE(sink.has_kind("event_done"));
}

TEST(Annotations, ThreadRecordsAtTheStartNameEachThreadsVmAndBasePriority) {
  Machine m;
  AnnotatedSink sink;
  m.set_log(&sink);
  scenario(m);
  m.run();
  int threads = 0;
  for (const LogRecord& r : sink.records)
    if (r.kind == "thread") {
      EXPECT_TRUE(r.annotation);
      ++threads;
      if (field(r, "name")->s == "B") {
        EXPECT_EQ(field(r, "vm")->s, "System VM");
        EXPECT_EQ(field(r, "base")->i, 0x100);
      }
    }
  EXPECT_EQ(threads, 3);  // sys, B, A
}

TEST(Annotations, PriorityRecordWhenAnotherThreadsPriorityChanges) {
  Machine m;
  AnnotatedSink sink;
  m.set_log(&sink);
  scenario(m);
  m.run();
  bool boosted = false;
  for (const LogRecord& r : sink.records)
    if (r.kind == "priority" && field(r, "target")->s == "B" && field(r, "value")->i == 0x110) {
      EXPECT_EQ(r.thread, "A");  // queued by A while B was blocked
      boosted = true;
    }
  EXPECT_TRUE(boosted) << dump(sink);
}

TEST(Annotations, EventDoneAfterEachCallbackAndEventRecordsNameTheirTarget) {
  Machine m;
  AnnotatedSink sink;
  m.set_log(&sink);
  scenario(m);
  m.run();
  std::size_t run_at = 0, done_at = 0;
  for (std::size_t i = 0; i < sink.records.size(); ++i) {
    const LogRecord& r = sink.records[i];
    if (r.kind == "event_queued") {
      EXPECT_EQ(field(r, "target_kind")->s, "thread");
      EXPECT_EQ(field(r, "target_name")->s, "B");
      EXPECT_EQ(field(r, "boost")->i, 0x10);
      EXPECT_EQ(field(r, "flags")->i & PEF_Always_Sched, PEF_Always_Sched);
    }
    if (r.kind == "event_run") run_at = i;
    if (r.kind == "event_done") {
      done_at = i;
      EXPECT_EQ(r.thread, "B");
      EXPECT_EQ(field(r, "event")->i, 1);
    }
  }
  EXPECT_GT(run_at, 0u);
  EXPECT_GT(done_at, run_at);
  // The callback's _SignalID comes between its run and its return.
  bool signal_inside = false;
  for (std::size_t i = run_at; i < done_at; ++i) signal_inside |= sink.records[i].kind == "wake_signal" ||
                                                                  sink.records[i].kind == "signal";
  EXPECT_TRUE(signal_inside) << dump(sink);
}

}  // namespace
}  // namespace vmmsim::test
