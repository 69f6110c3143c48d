// determinism_test.cpp: model.md section 7: "Same scenario, options and seed: the same output,
// byte for byte."
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

// A scenario that exercises time slices, interrupts, events of every class, a time-out, the
// critical section, a semaphore and block IDs.
struct Scenario {
  CollectingSink sink;
  RunResult result;

  void run() {
    Machine m;
    m.set_log(&sink);
    auto sem = std::make_shared<SEMHANDLE>(0);
    THREADHANDLE B = m.create_thread("B", [sem] {
      *sem = Create_Semaphore(0);
      _BlockOnID(1, Block_Svc_Ints);
      Wait_Semaphore(*sem, Block_Svc_Ints);
      ring3(7);
    }, 0x100);
    VMHANDLE V = m.create_vm("V", [] {
      Begin_Critical_Section(0);
      ring3(13);
      End_Critical_Section();
      ring3(30);
    }, 0x80);
    m.create_thread("A", [B, V, sem] {
      Call_Restricted_Event(0x10, B, PEF_Thread_Event | PEF_Always_Sched, 1, [](const EventContext& e) {
        log("thread event on " + name(e.thread));
      });
      Call_Restricted_Event(0x20, V, PEF_Wait_Not_Crit | PEF_Time_Out, 2, [](const EventContext& e) {
        log(fmt::format("VM event timed_out={}", e.timed_out));
      }, 5);
      Schedule_Global_Event([](const EventContext&) { log("global"); }, 3);
      ring3(45);
      _SignalID(1);
      ring3(3);
      Signal_Semaphore(*sem);
      ring3(25);
    }, 0x80);
    m.at(17, [] { Schedule_Global_Event([](const EventContext& e) { log("irq event on " + name(e.thread)); }, 4); });
    m.every(9, [] { _SignalID(99); }, 6);
    result = m.run();
  }
};

std::string render(const LogRecord& r) {
  std::string s = fmt::format("{:.3f}|{}|{}|{}|{}", r.t_ms, r.thread, r.kind, r.text, r.priority);
  for (const auto& f : r.fields) s += fmt::format("|{}={}/{}/{}/{}", f.key, f.s, f.i, f.d, f.b);
  return s;
}

// model.md section 7: "the same output, byte for byte"
TEST(Determinism, SameScenarioTwiceGivesIdenticalLogRecords) {
  Scenario first, second;
  first.run();
  second.run();
  EXPECT_EQ(first.result.outcome, Outcome::finished) << first.result.message;
  EXPECT_EQ(first.result.outcome, second.result.outcome);
  EXPECT_DOUBLE_EQ(first.result.end_ms, second.result.end_ms);
  EXPECT_EQ(first.result.message, second.result.message);
  ASSERT_GT(first.sink.records.size(), 20u);
  std::vector<std::string> a, b;
  for (const auto& r : first.sink.records) a.push_back(render(r));
  for (const auto& r : second.sink.records) b.push_back(render(r));
  EXPECT_EQ(a, b);
  // The scenario did exercise what it meant to (so the comparison is not vacuous).
  for (const char* kind : {"run", "block", "wake", "event_queued", "event_run", "irq", "crit_claim", "log"})
    EXPECT_TRUE(first.sink.has_kind(kind)) << kind;
}

// model.md section 7: determinism also holds for a run that ends stuck, diagnosis included
TEST(Determinism, StuckDiagnosisIsIdenticalAcrossRuns) {
  auto once = [] {
    Machine m;
    m.create_thread("Owner", [] { Begin_Critical_Section(0); _BlockOnID(7, 0); }, 0x300);
    m.create_thread("Waiter", [] { Begin_Critical_Section(Block_Svc_Ints); }, 0x200);
    m.create_thread("A", [] {
      Call_Restricted_Event(0, 0, PEF_Wait_Crit | PEF_Always_Sched, 0, [](const EventContext&) {});
      _SignalID(5);
      _BlockOnID(5, 0);
    }, 0x100);
    return m.run();
  };
  RunResult r1 = once(), r2 = once();
  EXPECT_EQ(r1.outcome, Outcome::stuck);
  EXPECT_EQ(r1.message, r2.message);
  EXPECT_FALSE(r1.message.empty());
}

// A chooser that records every question and answers with a fixed policy.
struct RecordingChooser : Chooser {
  bool last = false;  // answer n-1 (else 0)
  bool is_active = true;
  std::vector<std::pair<ChoiceKind, std::size_t>> asked;
  bool active() const override { return is_active; }
  std::size_t choose(const ChoicePoint& p) override {
    asked.emplace_back(p.kind, p.count);
    return last ? p.count - 1 : 0;
  }
};

// chooser.hpp: "Option 0 is always what the deterministic default does"; model.md section 7
TEST(Determinism, ChooserAlwaysPickingOptionZeroReproducesTheDefaultRun) {
  RecordingChooser zero;
  // A scenario with a thread tie, an event-order choice and simultaneous interrupts.
  auto build = [](Machine& m, std::vector<std::string>& out) {
    m.create_thread("A", [&out] {
      Schedule_Global_Event([&out](const EventContext&) { out.push_back("G1"); }, 0);
      Schedule_Global_Event([&out](const EventContext&) { out.push_back("G2"); }, 0);
      ring3(30);
      out.push_back("A done");
    }, 0x100);
    m.create_thread("B", [&out] { ring3(30); out.push_back("B done"); }, 0x100);
    m.at(5, [&out] { out.push_back("h1"); });
    m.at(5, [&out] { out.push_back("h2"); });
  };
  std::vector<std::string> a, b;
  {
    Machine m;
    build(m, a);
    EXPECT_EQ(m.run().outcome, Outcome::finished);
  }
  {
    Machine m;
    m.set_chooser(&zero);
    build(m, b);
    EXPECT_EQ(m.run().outcome, Outcome::finished);
  }
  EXPECT_EQ(a, b);
  EXPECT_FALSE(zero.asked.empty());
  for (const auto& [kind, n] : zero.asked) EXPECT_GT(n, 1u) << choice_kind_name(kind);
}

// model.md section 7: every tie is a choice point ("The explorer treats every tie as a choice point")
TEST(Determinism, ChooserDecidesThreadTies) {
  RecordingChooser last;
  last.last = true;
  Machine m;
  m.set_chooser(&last);
  std::vector<std::string> order;
  for (const char* n : {"A", "B", "C"}) m.create_thread(n, [&order, n] { order.push_back(n); }, 0x10);
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(order, (std::vector<std::string>{"C", "B", "A"}));
  bool tie_asked = false;
  for (const auto& [kind, n] : last.asked) tie_asked |= kind == ChoiceKind::thread_tie;
  EXPECT_TRUE(tie_asked);
}

// model.md section 3: "the explorer may permute within a class" (not across classes by default);
// PEF_Process_Last events still come only in the second pass
TEST(Determinism, ChooserPermutesEventsOnlyWithinAClass) {
  RecordingChooser last;
  last.last = true;
  Machine m;
  m.set_chooser(&last);
  std::vector<std::string> order;
  m.create_thread("A", [&] {
    THREADHANDLE me = Get_Cur_Thread_Handle();
    VMHANDLE sys = Get_Sys_VM_Handle();
    auto rec = [&](const char* n) { return [&order, n](const EventContext&) { order.push_back(n); }; };
    Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0, rec("T1"));
    Call_Restricted_Event(0, sys, PEF_Process_Last | PEF_Always_Sched, 0, rec("VL"));
    Call_Restricted_Event(0, sys, PEF_Always_Sched, 0, rec("V1"));
    Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, rec("G1"));
    Call_Restricted_Event(0, me, PEF_Thread_Event | PEF_Always_Sched, 0, rec("T2"));
    Call_Restricted_Event(0, 0, PEF_Always_Sched, 0, rec("G2"));
    Call_Restricted_Event(0, sys, PEF_Always_Sched, 0, rec("V2"));
    ring3(1);
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(order, (std::vector<std::string>{"G2", "G1", "V2", "V1", "T2", "T1", "VL"}));
}

// model.md section 6: items due at the same instant fire in creation order, "the explorer may
// permute them"
TEST(Determinism, ChooserDecidesSimultaneousItems) {
  RecordingChooser last;
  last.last = true;
  Machine m;
  m.set_chooser(&last);
  std::vector<std::string> order;
  m.create_thread("A", [] { ring3(10); });
  m.at(5, [&] { order.push_back("h1"); });
  m.at(5, [&] { order.push_back("h2"); });
  m.at(5, [&] { order.push_back("h3"); });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(order.front(), "h3");
  EXPECT_EQ(order.size(), 3u);
  bool asked = false;
  for (const auto& [kind, n] : last.asked) asked |= kind == ChoiceKind::simultaneous;
  EXPECT_TRUE(asked);
}

// chooser.hpp: "A chooser that is not active() is never asked"
TEST(Determinism, InactiveChooserIsNeverAsked) {
  RecordingChooser idle;
  idle.is_active = false;
  idle.last = true;
  Machine m;
  m.set_chooser(&idle);
  std::vector<std::string> order;
  for (const char* n : {"A", "B", "C"}) m.create_thread(n, [&order, n] { order.push_back(n); }, 0x10);
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_TRUE(idle.asked.empty());
  EXPECT_EQ(order, (std::vector<std::string>{"A", "B", "C"}));
}
}  // namespace
}  // namespace vmmsim::test
