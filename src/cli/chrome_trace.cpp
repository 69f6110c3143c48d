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

#include <nlohmann/json.hpp>

#include "output_file.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

using Json = nlohmann::ordered_json;

std::int64_t to_us(double ms) { return std::llround(ms * 1000.0); }

class ChromeTrace final : public OutputSink {
 public:
  bool open(const std::string& path, std::string& error) {
    if (!file_.open(path, error)) return false;
    file_.write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    emit({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 0}, {"args", {{"name", "vmmsim"}}}});
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
    Json args = {{"text", r.text}, {"priority", r.priority}};
    for (const LogField& f : r.fields) {
      switch (f.type) {
        case LogField::Type::integer: args[f.key] = f.i; break;
        case LogField::Type::number: args[f.key] = f.d; break;
        case LogField::Type::boolean: args[f.key] = f.b; break;
        case LogField::Type::string: args[f.key] = f.s; break;
      }
    }
    emit({{"name", r.kind}, {"cat", r.kind}, {"ph", "i"}, {"s", "t"}, {"ts", now}, {"pid", 1},
          {"tid", tid(r.thread)}, {"args", std::move(args)}});
  }

  std::string finish(double end_ms) override {
    close_span(std::max(to_us(end_ms), span_start_));
    file_.write("\n]}\n");
    return file_.close();
  }

 private:
  int tid(const std::string& name) {
    auto [it, added] = tids_.try_emplace(name, static_cast<int>(tids_.size()) + 1);
    if (added) {
      emit({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", it->second}, {"args", {{"name", name}}}});
      emit({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", 1}, {"tid", it->second},
            {"args", {{"sort_index", it->second}}}});
    }
    return it->second;
  }

  void open_span(const std::string& thread, std::int64_t start, std::int64_t priority) {
    running_ = thread;
    span_start_ = start;
    span_priority_ = priority;
  }

  void close_span(std::int64_t end) {
    if (running_.empty()) return;
    if (end > span_start_) {
      emit({{"name", "running"}, {"cat", "cpu"}, {"ph", "X"}, {"ts", span_start_}, {"dur", end - span_start_},
            {"pid", 1}, {"tid", tid(running_)}, {"args", {{"priority", span_priority_}}}});
    }
    running_.clear();
  }

  void emit(const Json& event) {
    if (!first_event_) file_.write(",\n");
    first_event_ = false;
    file_.write(event.dump(-1, ' ', false, Json::error_handler_t::replace));
  }

  OutputFile file_;
  bool first_event_ = true;
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
