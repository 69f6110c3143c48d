// trace_jsonl.cpp: --trace FILE.jsonl: one JSON object per record, keys in this order: t (ms),
// thread, kind, priority, text, then the record's own fields with their types. A field whose key
// is one of these five is written as "_<key>" so that it cannot hide them.
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
    for (const LogField& field : r.fields) {
      append_json_key(line_, reserved(field.key) ? "_" + field.key : field.key);
      append_json_field_value(line_, field);
    }
    line_ += "}\n";
    file_.write(line_);
  }
  std::string finish(double) override { return file_.close(); }

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
