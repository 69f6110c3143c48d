// sinks.hpp: where `vmmsim run` sends the records of a run: the log on stdout and the optional
// machine-readable outputs (scenario-api.md "Machine-readable outputs"), each in its own file.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "vmmsim/log.hpp"

namespace vmmsim::command {

// RunEnd: how the run ended, for the outputs that end with it (the traces' outcome record, the
// timeline's diagnosis panel).
struct RunEnd {
  double end_ms = 0;
  std::string outcome;  // outcome_name: finished, error, stuck, starved, time_limit
  int exit_code = 0;
  std::string message;  // the error or the diagnosis ("" for finished)
};

// OutputSink: a LogSink producing one output. finish() completes it once the run is over.
class OutputSink : public LogSink {
 public:
  // finish: the run ended (at virtual time end.end_ms); writes what remains and closes the
  // output. Returns an error message, or "" if everything was written.
  virtual std::string finish(const RunEnd& end) = 0;
};

// make_text_log: the log as `vmmsim run` prints it: "<ms with 3 decimals> <thread> <text>" lines.
std::unique_ptr<OutputSink> make_text_log(std::FILE* out);

// open_*: an output written to path; nullptr with error set ("cannot open 'f' for writing: ...").
// JSON Lines: one object per record: t, thread, kind, priority, text, then the record's fields;
// annotation records (LogRecord::annotation) too, with "annotation":true after the text.
std::unique_ptr<OutputSink> open_jsonl_trace(const std::string& path, std::string& error);
// The Trace Event Format (Perfetto, chrome://tracing): a track per thread with a slice per state
// (timeline_model.hpp), priority and critical-section owner counters, event flows, instants.
std::unique_ptr<OutputSink> open_chrome_trace(const std::string& path, std::string& error);
// One self-contained HTML page (timeline/page.html): the run's timeline_model and the outcome.
std::unique_ptr<OutputSink> open_timeline_html(const std::string& path, std::string& error);

// ChoiceMarks: an output that can mark explore's non-default choices where the run took them
// (the timeline page). choice() comes between the records before and after the choice.
class ChoiceMarks {
 public:
  virtual ~ChoiceMarks() = default;
  virtual void choice(const std::string& text) = 0;
};

// FanOutSink: gives every record to each of its sinks, in the order they were added; an
// annotation record only to the sinks that want annotations (the text log and the trail do not).
class FanOutSink final : public LogSink {
 public:
  void add(std::unique_ptr<OutputSink> sink) {
    annotated_.push_back(sink->wants_annotations());
    sinks_.push_back(std::move(sink));
  }
  bool empty() const { return sinks_.empty(); }
  void record(const LogRecord& record) override {
    for (std::size_t i = 0; i < sinks_.size(); ++i)
      if (!record.annotation || annotated_[i]) sinks_[i]->record(record);
  }
  bool wants_annotations() const override {
    for (bool a : annotated_)
      if (a) return true;
    return false;
  }
  // finish: finishes every sink; returns their error messages, one per line ("" if none).
  std::string finish(const RunEnd& end) {
    std::string errors;
    for (auto& sink : sinks_) {
      std::string error = sink->finish(end);
      if (!error.empty()) errors += error + "\n";
    }
    return errors;
  }

 private:
  std::vector<std::unique_ptr<OutputSink>> sinks_;
  std::vector<bool> annotated_;  // per sink: wants_annotations()
};

}  // namespace vmmsim::command
