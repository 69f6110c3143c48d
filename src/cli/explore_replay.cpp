// explore_replay.cpp: the failing schedule replayed into the timeline page and the trail
// (explore_replay.hpp). The replay takes the same choices as the failing run (ReplayChooser); a
// wrapper tells the outputs when a non-default one is taken, between the records around it.
#include "explore_replay.hpp"

#include <fmt/core.h>

#include "lua_scenario.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

class MarkingChooser final : public Chooser {
 public:
  MarkingChooser(Schedule schedule, std::vector<ChoiceMarks*> marks)
      : inner_(std::move(schedule)), marks_(std::move(marks)) {}
  ChoiceSpace space() const override { return inner_.space(); }
  std::size_t choose(const ChoicePoint& point) override {
    std::size_t option = inner_.choose(point);
    if (option != 0) {
      std::string text = fmt::format("choice point {} ({}): option {} of {}", inner_.choice_points() - 1,
                                     choice_kind_name(point.kind), option, point.count);
      for (ChoiceMarks* m : marks_) m->choice(text);
    }
    return option;
  }

 private:
  ReplayChooser inner_;
  std::vector<ChoiceMarks*> marks_;
};

// Trail: the log as `vmmsim run` prints it, with each non-default choice on a line of its own.
class Trail final : public OutputSink, public ChoiceMarks {
 public:
  void record(const LogRecord& r) override { fmt::print("{:.3f} {} {}\n", r.t_ms, r.thread, r.text); }
  void choice(const std::string& text) override { fmt::print(">>> {}\n", text); }
  std::string finish(const RunEnd&) override { return std::fflush(stdout) == 0 ? "" : "error writing the trail"; }
};

}  // namespace

std::string replay_failure(const std::string& scenario, const Schedule& schedule, const std::string& timeline,
                           bool trail,
                           const lua::LuaLimits& limits) {
  FanOutSink sinks;
  std::vector<ChoiceMarks*> marks;
  if (trail) {
    auto t = std::make_unique<Trail>();
    marks.push_back(t.get());
    sinks.add(std::move(t));
    fmt::print("trail (the failing schedule replayed; >>> marks its non-default choices):\n");
  }
  if (!timeline.empty()) {
    std::string error;
    std::unique_ptr<OutputSink> page = open_timeline_html(timeline, error);
    if (!page) return error;
    marks.push_back(dynamic_cast<ChoiceMarks*>(page.get()));
    sinks.add(std::move(page));
  }
  MarkingChooser chooser(schedule, marks);
  lua::LuaRunOptions run;
  run.limits = limits;
  run.file = scenario;
  run.log = &sinks;
  run.chooser = &chooser;
  lua::LuaRunResult result = lua::run_lua_scenario(run);
  return sinks.finish({result.end_ms, std::string(outcome_name(result.outcome)), result.exit_code, result.message});
}

}  // namespace vmmsim::command
