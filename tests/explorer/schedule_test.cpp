// schedule_test.cpp: schedule tokens (model.md section 7: "a recorded schedule fixes [every free
// choice], so any run can be replayed").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmmsim/vmmsim.hpp"

namespace vmmsim::test {
namespace {

struct Collect : LogSink {
  std::vector<std::string> lines;
  void record(const LogRecord& r) override { lines.push_back(std::to_string(r.t_ms) + " " + r.thread + " " + r.text); }
};

// A chooser that takes the last option at every choice point: as far from the default as it gets.
struct LastOption : Chooser {
  std::size_t choose(const ChoicePoint& p) override { return p.count - 1; }
};

// Three equal-priority threads and two global events: ties and event order are choice points.
std::vector<std::string> run_scenario(Chooser* chooser, RunResult* result = nullptr) {
  Collect log;
  Machine m;
  m.set_log(&log);
  m.set_chooser(chooser);
  for (const char* name : {"A", "B", "C"})
    m.create_thread(name, [] {
      Schedule_Global_Event([](const EventContext&) { vmmsim::log("first"); }, 0);
      Schedule_Global_Event([](const EventContext&) { vmmsim::log("second"); }, 0);
      ring3(1);
    }, 1);
  RunResult r = m.run();
  if (result) *result = r;
  return log.lines;
}

TEST(Schedule, DefaultScheduleIsTheBareVersionPrefix) {
  EXPECT_EQ(Schedule{}.token(), "v1");
  std::string why;
  auto s = Schedule::parse("v1", &why);
  ASSERT_TRUE(s.has_value()) << why;
  EXPECT_TRUE(s->picks.empty());
}

TEST(Schedule, TokenRoundTripsEveryPick) {
  Schedule s;
  s.picks = {{0, 1}, {5, 2}, {200, 7}, {100000, 130}};
  std::string why;
  auto back = Schedule::parse(s.token(), &why);
  ASSERT_TRUE(back.has_value()) << why;
  EXPECT_EQ(back->picks, s.picks);
}

TEST(Schedule, MalformedTokensAreRefusedWithAReason) {
  std::string why;
  EXPECT_FALSE(Schedule::parse("x1AAE", &why));
  EXPECT_NE(why.find("starts with"), std::string::npos) << why;
  EXPECT_FALSE(Schedule::parse("v1AA*", &why));
  EXPECT_NE(why.find("letters, digits"), std::string::npos) << why;
  EXPECT_FALSE(Schedule::parse("v1AA", &why));  // a gap without its option
  EXPECT_NE(why.find("cut short"), std::string::npos) << why;
  EXPECT_FALSE(Schedule::parse("v1AAA", &why));  // option 0 is never written down
  EXPECT_NE(why.find("impossible option"), std::string::npos) << why;
}

// model.md section 7: option 0 at every point is the default run, so "v1" replays it.
TEST(Schedule, EmptyScheduleReplaysTheDefaultRun) {
  ReplayChooser replay(Schedule{});
  EXPECT_EQ(run_scenario(&replay), run_scenario(nullptr));
  EXPECT_GT(replay.choice_points(), 0u);
  EXPECT_TRUE(replay.mismatch().empty());
}

// model.md section 7: the recorded schedule of any run replays it exactly.
TEST(Schedule, RecordedScheduleReplaysTheSameRunByteForByte) {
  LastOption last;
  RecordingChooser recorder(&last);
  std::vector<std::string> original = run_scenario(&recorder);
  ASSERT_FALSE(recorder.schedule().picks.empty());
  EXPECT_NE(original, run_scenario(nullptr));  // the choices changed something

  auto parsed = Schedule::parse(recorder.schedule().token(), nullptr);
  ASSERT_TRUE(parsed.has_value());
  ReplayChooser replay(*parsed);
  EXPECT_EQ(run_scenario(&replay), original);
  EXPECT_EQ(replay.choice_points(), recorder.choice_points());
  EXPECT_TRUE(replay.mismatch().empty());
  EXPECT_EQ(replay.unused(), 0u);
}

TEST(Schedule, PickBeyondTheOptionsOfAChoicePointIsReportedAsAMismatch) {
  Schedule s;
  s.picks = {{0, 9}};
  ReplayChooser replay(s);
  run_scenario(&replay);
  EXPECT_NE(replay.mismatch().find("choice point 0"), std::string::npos) << replay.mismatch();
}

TEST(Schedule, PicksBeyondTheLastChoicePointAreCountedUnused) {
  Schedule s;
  s.picks = {{1000000, 1}};
  ReplayChooser replay(s);
  run_scenario(&replay);
  EXPECT_EQ(replay.unused(), 1u);
}

}  // namespace
}  // namespace vmmsim::test
