// trace_jsonl.cpp: --trace FILE.jsonl: one JSON object per record, keys in this order: t (ms),
// thread, kind, priority, text, "annotation":true for a record that is no line of the log
// (thread, priority, event_done: LogRecord::annotation), then the record's own fields with their types. A field whose key
// is one of these five is written as "_<key>" so that it cannot hide them. The last line is the
// outcome record (kind "outcome", thread "-"): outcome, exit_code and message (the diagnosis).
#include "json_text.hpp"
#include "output_file.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

bool reserved(const std::string& key) {
  return key == "t" || key == "thread" || key == "kind" || key == "priority" || key == "text";
}

class JsonlTrace final : public OutputSink {
 public:
  bool open(const std::string& path, std::string& error) { return file_.open(path, error); }
  bool wants_annotations() const override { return true; }
  void record(const LogRecord& r) override {
    line_.clear();
    line_ += '{';
    append_json_key(line_, "t", true);
    append_json_number(line_, r.t_ms);
    append_json_key(line_, "thread");
    append_json_string(line_, r.thread);
    append_json_key(line_, "kind");
    append_json_string(line_, r.kind);
    append_json_key(line_, "priority");
    append_json_integer(line_, r.priority);
    append_json_key(line_, "text");
    append_json_string(line_, r.text);
    if (r.annotation) line_ += R"(,"annotation":true)";
    for (const LogField& field : r.fields) {
      append_json_key(line_, reserved(field.key) ? "_" + field.key : field.key);
      append_json_field_value(line_, field);
    }
    line_ += "}\n";
    file_.write(line_);
  }
  std::string finish(const RunEnd& end) override {
    line_.clear();
    line_ += '{';
    append_json_key(line_, "t", true);
    append_json_number(line_, end.end_ms);
    line_ += R"(,"thread":"-","kind":"outcome","priority":0)";
    append_json_key(line_, "text");
    std::string first = end.message.substr(0, end.message.find('\n'));
    append_json_string(line_, first.empty() ? fmt::format("{} at {:.3f} ms", end.outcome, end.end_ms) : first);
    append_json_key(line_, "outcome");
    append_json_string(line_, end.outcome);
    append_json_key(line_, "exit_code");
    append_json_integer(line_, end.exit_code);
    append_json_key(line_, "message");
    append_json_string(line_, end.message);
    line_ += "}\n";
    file_.write(line_);
    return file_.close();
  }

 private:
  OutputFile file_;
  std::string line_;  // reused: one allocation for the whole trace
};

}  // namespace

std::unique_ptr<OutputSink> open_jsonl_trace(const std::string& path, std::string& error) {
  auto trace = std::make_unique<JsonlTrace>();
  if (!trace->open(path, error)) return nullptr;
  return trace;
}

}  // namespace vmmsim::command
