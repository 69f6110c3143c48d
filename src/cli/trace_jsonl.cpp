// trace_jsonl.cpp: --trace FILE.jsonl: one JSON object per record, keys in this order: t (ms),
// thread, kind, priority, text, then the record's own fields with their types. A field whose key
// is one of these five is written as "_<key>" so that it cannot hide them.
#include <nlohmann/json.hpp>

#include "output_file.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

using Json = nlohmann::ordered_json;

Json field_value(const LogField& field) {
  switch (field.type) {
    case LogField::Type::integer: return field.i;
    case LogField::Type::number: return field.d;
    case LogField::Type::boolean: return field.b;
    case LogField::Type::string: break;
  }
  return field.s;
}

bool reserved(const std::string& key) {
  return key == "t" || key == "thread" || key == "kind" || key == "priority" || key == "text";
}

class JsonlTrace final : public OutputSink {
 public:
  bool open(const std::string& path, std::string& error) { return file_.open(path, error); }
  void record(const LogRecord& r) override {
    Json line;
    line["t"] = r.t_ms;
    line["thread"] = r.thread;
    line["kind"] = r.kind;
    line["priority"] = r.priority;
    line["text"] = r.text;
    for (const LogField& field : r.fields) line[reserved(field.key) ? "_" + field.key : field.key] = field_value(field);
    file_.write(line.dump(-1, ' ', false, Json::error_handler_t::replace));
    file_.write("\n");
  }
  std::string finish(double) override { return file_.close(); }

 private:
  OutputFile file_;
};

}  // namespace

std::unique_ptr<OutputSink> open_jsonl_trace(const std::string& path, std::string& error) {
  auto trace = std::make_unique<JsonlTrace>();
  if (!trace->open(path, error)) return nullptr;
  return trace;
}

}  // namespace vmmsim::command
