// chrome_trace.cpp: --chrome-trace FILE.json: the Trace Event Format, loadable in Perfetto UI and
// chrome://tracing. One process "vmmsim"; one track (tid) per thread name, in order of appearance.
// A "run" record means the CPU went to the record's thread (field "from": the previous holder), so
// the spans between run records become "X" (complete) events named "running"; every other record is
// an "i" (instant) event on its thread's track, named by its kind, with the text and fields as args.
// Events are written as they happen; finish() closes the last span and the JSON document.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "json_text.hpp"
#include "output_file.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

std::int64_t to_us(double ms) { return std::llround(ms * 1000.0); }

class ChromeTrace final : public OutputSink {
 public:
  bool open(const std::string& path, std::string& error) {
    if (!file_.open(path, error)) return false;
    file_.write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    file_.write(R"({"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"vmmsim"}})");
    return true;
  }

  void record(const LogRecord& r) override {
    std::int64_t now = to_us(r.t_ms);
    if (!seen_any_) {
      seen_any_ = true;
      first_us_ = now;
    }
    if (r.kind == "run") {
      if (running_.empty()) {
        // The CPU's holder before the first switch is only named by "from".
        for (const LogField& f : r.fields)
          if (f.key == "from" && f.s != "-") open_span(f.s, first_us_, r.priority);
      }
      close_span(now);
      open_span(r.thread, now, r.priority);
      return;
    }
    int track = tid(r.thread);
    begin_event(r.kind, "i", now, track);
    out_ += R"(,"s":"t","cat":)";
    append_json_string(out_, r.kind);
    out_ += R"(,"args":{"text":)";
    append_json_string(out_, r.text);
    append_json_key(out_, "priority");
    append_json_integer(out_, r.priority);
    for (const LogField& f : r.fields) {
      append_json_key(out_, f.key);
      append_json_field_value(out_, f);
    }
    out_ += "}}";
    flush();
  }

  std::string finish(double end_ms) override {
    close_span(std::max(to_us(end_ms), span_start_));
    file_.write("\n]}\n");
    return file_.close();
  }

 private:
  // tid: the track of a thread name; its metadata events are written when it first appears.
  int tid(const std::string& name) {
    auto [it, added] = tids_.try_emplace(name, static_cast<int>(tids_.size()) + 1);
    if (added) {
      out_ += fmt::format(R"(,
{{"name":"thread_name","ph":"M","pid":1,"tid":{},"args":{{"name":)", it->second);
      append_json_string(out_, name);
      out_ += fmt::format(R"(}}}},
{{"name":"thread_sort_index","ph":"M","pid":1,"tid":{0},"args":{{"sort_index":{0}}}}})", it->second);
      flush();
    }
    return it->second;
  }

  // begin_event: ,\n{"name":...,"ph":...,"ts":...,"pid":1,"tid":...  (the caller closes it)
  void begin_event(std::string_view name, std::string_view phase, std::int64_t ts, int track) {
    out_ += ",\n{\"name\":";
    append_json_string(out_, name);
    out_ += fmt::format(R"(,"ph":"{}","ts":{},"pid":1,"tid":{})", phase, ts, track);
  }

  void open_span(const std::string& thread, std::int64_t start, std::int64_t priority) {
    running_ = thread;
    span_start_ = start;
    span_priority_ = priority;
  }

  void close_span(std::int64_t end) {
    if (running_.empty()) return;
    if (end > span_start_) {
      int track = tid(running_);
      begin_event("running", "X", span_start_, track);
      out_ += fmt::format(R"(,"dur":{},"cat":"cpu","args":{{"priority":{}}}}})", end - span_start_, span_priority_);
      flush();
    }
    running_.clear();
  }

  void flush() {
    file_.write(out_);
    out_.clear();
  }

  OutputFile file_;
  std::string out_;  // the event being written
  bool seen_any_ = false;
  std::int64_t first_us_ = 0;
  std::unordered_map<std::string, int> tids_;
  std::string running_;  // the thread whose span is open ("" if none)
  std::int64_t span_start_ = 0;
  std::int64_t span_priority_ = 0;
};

}  // namespace

std::unique_ptr<OutputSink> open_chrome_trace(const std::string& path, std::string& error) {
  auto trace = std::make_unique<ChromeTrace>();
  if (!trace->open(path, error)) return nullptr;
  return trace;
}

}  // namespace vmmsim::command
