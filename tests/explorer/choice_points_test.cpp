// choice_points_test.cpp: the explorer's optional choice points in the core (model.md section 7):
// spurious wake-ups, jitter, event order across classes; and tokens that carry their space.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmmsim/vmmsim.hpp"

namespace vmmsim::test {
namespace {

struct Collect : LogSink {
  std::vector<std::string> lines;
  void record(const LogRecord& r) override { lines.push_back(std::to_string(r.t_ms) + " " + r.thread + " " + r.text); }
  bool has(const std::string& text) const {
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  }
};

// Scripted: answers from a list (then 0), in a given space, and notes every point it was asked.
struct Scripted : Chooser {
  ChoiceSpace s;
  std::vector<std::size_t> answers;
  std::vector<ChoicePoint> asked;
  std::vector<std::vector<std::uint64_t>> ids;
  ChoiceSpace space() const override { return s; }
  std::size_t choose(const ChoicePoint& p) override {
    asked.push_back(p);
    ids.emplace_back(p.ids.begin(), p.ids.end());
    std::size_t i = asked.size() - 1;
    return i < answers.size() ? answers[i] : 0;
  }
  std::size_t count(ChoiceKind k) const {
    std::size_t n = 0;
    for (const auto& p : asked) n += p.kind == k;
    return n;
  }
};

// seed 002: "an unrelated piece of code may signal the ID ... and cause this one to be spuriously
// awakened": with --spurious-wakeups, a thread blocked on an ID may return without a _SignalID.
TEST(SpuriousWakeups, AThreadBlockedOnAnIdMayWakeWithoutASignal) {
  Scripted c;
  c.s.spurious_wakeups = true;
  c.answers = {1};  // the first point: wake the sleeper
  Collect log;
  Machine m;
  m.set_log(&log);
  m.set_chooser(&c);
  bool woke = false;
  m.create_thread("reader", [&] {
    _BlockOnID(7, 0);
    woke = true;
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished);
  EXPECT_TRUE(woke);
  EXPECT_TRUE(log.has("spurious wake-up of reader"));
  ASSERT_GE(c.asked.size(), 1u);
  EXPECT_EQ(c.asked[0].kind, ChoiceKind::spurious_wakeup);
  EXPECT_EQ(c.asked[0].count, 2u);  // no one, or the reader
}

TEST(SpuriousWakeups, AreNotChoicePointsUnlessAskedFor) {
  Scripted c;  // default space
  Machine m;
  m.set_chooser(&c);
  m.create_thread("reader", [] { _BlockOnID(7, 0); });
  m.at(1, [] { _SignalID(7); });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(c.count(ChoiceKind::spurious_wakeup), 0u);
}

TEST(SpuriousWakeups, AThreadIsWokenSpuriouslyAtMostOncePerInstant) {
  Scripted c;
  c.s.spurious_wakeups = true;
  c.answers = std::vector<std::size_t>(50, 1);  // always wake someone when offered
  Machine m;
  m.set_chooser(&c);
  int wakes = 0;
  bool flag = false;
  m.create_thread("reader", [&] {
    while (!flag) {
      _BlockOnID(7, 0);
      ++wakes;
    }
  });
  m.at(3, [&] { flag = true; _SignalID(7); });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(wakes, 2);  // one spurious wake-up at 0 ms, then the real one at 3 ms
}

// model.md section 3: "time-outs fire exactly at their virtual deadline ... explore --jitter models
// lateness": an interrupt due at 5 ms may arrive at 5, 6 or 7 ms with --jitter 2.
TEST(Jitter, AnInterruptMayArriveLateInWholeMilliseconds) {
  for (std::size_t option : {0u, 1u, 2u}) {
    Scripted c;
    c.s.jitter_us = 2000;
    c.answers = {option};
    Machine m;
    m.set_chooser(&c);
    double fired = -1;
    m.at(5, [&] { fired = current_machine()->now_ms(); });
    EXPECT_EQ(m.run().outcome, Outcome::finished);
    ASSERT_EQ(c.asked.size(), 1u);
    EXPECT_EQ(c.asked[0].kind, ChoiceKind::jitter);
    EXPECT_EQ(c.asked[0].count, 3u);
    EXPECT_DOUBLE_EQ(fired, 5.0 + static_cast<double>(option));
  }
}

TEST(Jitter, AFractionalJitterEndsOnItsExactValue) {
  Scripted c;
  c.s.jitter_us = 1500;
  c.answers = {2};
  Machine m;
  m.set_chooser(&c);
  double fired = -1;
  m.at(5, [&] { fired = current_machine()->now_ms(); });
  m.run();
  ASSERT_EQ(c.asked.size(), 1u);
  EXPECT_EQ(c.asked[0].count, 3u);  // 0, 1 and 1.5 ms late
  EXPECT_DOUBLE_EQ(fired, 6.5);
}

TEST(Jitter, APeriodicInterruptIsLateOnceWithoutShiftingTheFiringsAfter) {
  Scripted c;
  c.s.jitter_us = 3000;
  c.answers = {3};  // the first firing 3 ms late
  Machine m;
  m.set_chooser(&c);
  std::vector<double> times;
  m.every(10, [&] { times.push_back(current_machine()->now_ms()); }, 3);
  m.create_thread("T", [] { ring3(40); });  // periodic interrupts alone do not keep a run going
  m.run();
  ASSERT_EQ(times.size(), 3u);
  EXPECT_DOUBLE_EQ(times[0], 13.0);
  EXPECT_DOUBLE_EQ(times[1], 20.0);
  EXPECT_DOUBLE_EQ(times[2], 30.0);
}

TEST(Jitter, AnEventTimeOutMayFireLate) {
  Scripted c;
  c.s.jitter_us = 1000;
  c.answers = {1};
  Machine m;
  m.set_chooser(&c);
  double timed_out_at = -1;
  m.create_thread("T", [&] {
    Begin_Critical_Section(0);
    Call_Restricted_Event(0, nullptr, PEF_Wait_Not_Crit | PEF_Time_Out, 0, [&](const EventContext& e) {
      if (e.timed_out) timed_out_at = current_machine()->now_ms();
    }, 5);
    ring3(10);
    End_Critical_Section();
  });
  m.run();
  EXPECT_DOUBLE_EQ(timed_out_at, 6.0);
}

// seed 001: "Normally, global events are processed first, then VM events, then thread events";
// seed 000: no guarantee. With --event-order any the explorer offers every class at once.
TEST(EventOrderAny, OffersEveryProcessableEventAcrossClasses) {
  for (bool any : {false, true}) {
    Scripted c;
    c.s.event_order_any = any;
    Machine m;
    m.set_chooser(&c);
    m.create_thread("T", [] {
      Schedule_Thread_Event(Get_Cur_Thread_Handle(), [](const EventContext&) {}, 0);
      Schedule_Global_Event([](const EventContext&) {}, 0);
      Schedule_Global_Event([](const EventContext&) {}, 0);
      ring3(1);
    });
    m.run();
    ASSERT_GE(c.count(ChoiceKind::event_order), 1u);
    EXPECT_EQ(c.asked[0].count, any ? 3u : 2u) << (any ? "any" : "classes");
  }
}

TEST(EventOrderAny, KeepsProcessLastEventsForTheSecondPass) {
  Scripted c;
  c.s.event_order_any = true;
  c.answers = {1, 1, 1};
  Machine m;
  m.set_chooser(&c);
  std::string order;
  m.create_thread("T", [&] {
    Call_Restricted_Event(0, Get_Cur_VM_Handle(), PEF_Process_Last | PEF_Always_Sched, 0, [&](const EventContext&) { order += "L"; });
    Schedule_Thread_Event(Get_Cur_Thread_Handle(), [&](const EventContext&) { order += "t"; }, 0);
    Schedule_Global_Event([&](const EventContext&) { order += "g"; }, 0);
    ring3(1);
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(order, "tgL");  // the explorer swapped g and t; L still waited for the second pass
}

TEST(ChoicePointIds, TiesNameTheirThreadsAndEventsTheirHandles) {
  Scripted c;
  Machine m;
  m.set_chooser(&c);
  m.create_thread("A", [] {});
  m.create_thread("B", [] {});
  m.run();
  ASSERT_GE(c.asked.size(), 1u);
  EXPECT_EQ(c.asked[0].kind, ChoiceKind::thread_tie);
  ASSERT_EQ(c.ids[0].size(), 2u);
  EXPECT_NE(c.ids[0][0], c.ids[0][1]);
}

TEST(ScheduleTokens, CarryTheirChoiceSpaceSoTheReplayNeedsNoOption) {
  Schedule s;
  s.space.spurious_wakeups = true;
  s.space.event_order_any = true;
  s.space.jitter_us = 2500;
  s.picks[3] = 2;
  std::string token = s.token();
  EXPECT_EQ(token.rfind("v2", 0), 0u);
  std::string why;
  auto back = Schedule::parse(token, &why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(*back, s);
  ReplayChooser replay(*back);
  EXPECT_EQ(replay.space(), s.space);
}

TEST(ScheduleTokens, DefaultSpaceTokensStayVersionOne) {
  Schedule s;
  s.picks[0] = 1;
  EXPECT_EQ(s.token(), "v1AAE");
  EXPECT_TRUE(Schedule::parse("v1AAE", nullptr));
}

TEST(ScheduleTokens, AnUnknownSpaceIsRefused) {
  std::string why;
  EXPECT_FALSE(Schedule::parse("v2CA", &why));  // flags 8: no such freedom
  EXPECT_NE(why.find("choice space"), std::string::npos) << why;
}

}  // namespace
}  // namespace vmmsim::test
