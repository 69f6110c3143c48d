// sinks.hpp: where `vmmsim run` sends the records of a run: the log on stdout and the optional
// machine-readable outputs (scenario-api.md "Machine-readable outputs"), each in its own file.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "vmmsim/log.hpp"

namespace vmmsim::command {

// OutputSink: a LogSink producing one output. finish() completes it once the run is over.
class OutputSink : public LogSink {
 public:
  // finish: the run ended at virtual time end_ms; writes what remains and closes the output.
  // Returns an error message, or "" if everything was written.
  virtual std::string finish(double end_ms) = 0;
};

// make_text_log: the log as `vmmsim run` prints it: "<ms with 3 decimals> <thread> <text>" lines.
std::unique_ptr<OutputSink> make_text_log(std::FILE* out);

// open_*: an output written to path; nullptr with error set ("cannot open 'f' for writing: ...").
// JSON Lines: one object per record: t, thread, kind, priority, text, then the record's fields.
std::unique_ptr<OutputSink> open_jsonl_trace(const std::string& path, std::string& error);
// The Trace Event Format (Perfetto, chrome://tracing): a track per thread, "X" spans while it held
// the CPU, "i" instants for the other records.
std::unique_ptr<OutputSink> open_chrome_trace(const std::string& path, std::string& error);
// One self-contained HTML page: per thread, when it ran, blocked and processed events, and its
// priority over time.
std::unique_ptr<OutputSink> open_timeline_html(const std::string& path, std::string& error);

// FanOutSink: gives every record to each of its sinks, in the order they were added.
class FanOutSink final : public LogSink {
 public:
  void add(std::unique_ptr<OutputSink> sink) { sinks_.push_back(std::move(sink)); }
  bool empty() const { return sinks_.empty(); }
  void record(const LogRecord& record) override {
    for (auto& sink : sinks_) sink->record(record);
  }
  // finish: finishes every sink; returns their error messages, one per line ("" if none).
  std::string finish(double end_ms) {
    std::string errors;
    for (auto& sink : sinks_) {
      std::string error = sink->finish(end_ms);
      if (!error.empty()) errors += error + "\n";
    }
    return errors;
  }

 private:
  std::vector<std::unique_ptr<OutputSink>> sinks_;
};

}  // namespace vmmsim::command
