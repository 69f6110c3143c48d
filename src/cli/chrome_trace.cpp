// chrome_trace.cpp: --chrome-trace FILE.json: the Trace Event Format (Perfetto UI, chrome://tracing)
// carrying what the timeline page draws (timeline_model.hpp):
// - a process per VM ("VM: System VM"), a thread track per thread, in the page's lane order;
// - "X" slices for every state interval, named by state ("running", "blocked", "ready", ...),
//   category "cpu" while the thread holds the CPU and "wait" otherwise, the detail in args;
// - "C" counters: each thread's priority ("priority <thread>") and the critical-section owner
//   (one series per thread, 1 while it owns the section);
// - flow events ("s" to "f") from where an event was queued to where it ran, and from a
//   _SignalID/Signal_Semaphore to the thread it woke; an event still pending at the end flows
//   to an "event #N still pending" slice at the run's end on the lane where it waits (its
//   target thread, else the queuing thread), with what held it back in args;
// - an "i" instant for every record of the log (interrupts, signals, time-outs, slice ends, ...,
//   its text and fields in args), and for the marks that are no record: explore's choices and
//   the starved wait (from when, until when); the lost wake-up is a flow;
// - last, a global instant "outcome: <name>" with the outcome, exit code and diagnosis in args.
// Records are kept as they come; everything is written by finish(), once the outcome is known.
#include <cmath>
#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "output_file.hpp"
#include "sinks.hpp"
#include "timeline_model.hpp"

namespace vmmsim::command {

namespace {

using nlohmann::json;
using timeline::Model;

double to_us(double ms) { return std::round(ms * 1000.0 * 1000.0) / 1000.0; }

bool holds_cpu(timeline::State s) {
  using timeline::State;
  return s == State::running || s == State::callback || s == State::nested || s == State::hw_int ||
         s == State::servicing;
}

class ChromeTrace final : public OutputSink, public ChoiceMarks {
 public:
  bool open(const std::string& path, std::string& error) { return file_.open(path, error); }

  bool wants_annotations() const override { return true; }
  void record(const LogRecord& r) override {
    model_.add(r);
    if (!r.annotation) records_.push_back(r);  // the instants are the log's records
  }
  void choice(const std::string& text) override { model_.add_choice(text); }

  std::string finish(const RunEnd& end) override {
    model_.finish(end);
    assign_tracks();
    file_.write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    first_ = true;
    write_metadata();
    write_states();
    write_counters();
    write_flows();
    write_instants();
    json outcome = {{"name", "outcome: " + end.outcome}, {"ph", "i"}, {"s", "g"}, {"ts", to_us(end.end_ms)},
                    {"pid", 1}, {"tid", 0}, {"cat", "outcome"},
                    {"args", {{"outcome", end.outcome}, {"exit_code", end.exit_code}, {"diagnosis", end.message}}}};
    put(outcome);
    file_.write("\n]}\n");
    return file_.close();
  }

 private:
  // assign_tracks: pid per VM (the System VM is 1), tid per thread (from 1; 0 is the process's
  // own track, where the records made outside the run go).
  void assign_tracks() {
    vm_pid_["System VM"] = 1;
    for (const timeline::ThreadInfo& t : model_.threads) vm_pid_.try_emplace(t.vm, static_cast<int>(vm_pid_.size()) + 1);
  }
  int pid(std::size_t t) const { return vm_pid_.at(model_.threads[t].vm); }
  static int tid(std::size_t t) { return static_cast<int>(t) + 1; }

  void put(const json& e) {
    std::string text = e.dump(-1, ' ', false, json::error_handler_t::replace);
    file_.write(first_ ? text : ",\n" + text);
    first_ = false;
  }

  void write_metadata() {
    for (const auto& [vm, p] : vm_pid_) {
      put({{"name", "process_name"}, {"ph", "M"}, {"pid", p}, {"tid", 0}, {"args", {{"name", "VM: " + vm}}}});
      put({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", p}, {"tid", 0}, {"args", {{"sort_index", p}}}});
    }
    for (std::size_t t = 0; t < model_.threads.size(); ++t) {
      put({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid(t)}, {"tid", tid(t)},
           {"args", {{"name", model_.threads[t].name}}}});
      put({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", pid(t)}, {"tid", tid(t)},
           {"args", {{"sort_index", tid(t)}}}});
    }
  }

  void write_states() {
    for (const timeline::Interval& i : model_.intervals) {
      json args = {{"state", timeline::state_label(i.state)}, {"from_step", i.from.step}, {"to_step", i.to.step}};
      if (!i.detail.empty()) args["detail"] = i.detail;
      put({{"name", timeline::state_code(i.state)}, {"ph", "X"}, {"ts", to_us(i.from.t_ms)},
           {"dur", to_us(i.to.t_ms) - to_us(i.from.t_ms)}, {"pid", pid(i.thread)}, {"tid", tid(i.thread)},
           {"cat", holds_cpu(i.state) ? "cpu" : "wait"}, {"args", args}});
    }
  }

  void write_counters() {
    for (const timeline::PrioStep& p : model_.priority)
      put({{"name", "priority " + model_.threads[p.thread].name}, {"ph", "C"}, {"ts", to_us(p.at.t_ms)},
           {"pid", pid(p.thread)}, {"tid", tid(p.thread)}, {"args", {{"priority", p.priority}}}});
    put({{"name", "critical section owner"}, {"ph", "C"}, {"ts", 0}, {"pid", 1}, {"tid", 0}, {"args", {{"free", 1}}}});
    for (const timeline::CritSpan& c : model_.crit) {
      const std::string& owner = model_.threads[c.owner].name;
      put({{"name", "critical section owner"}, {"ph", "C"}, {"ts", to_us(c.from.t_ms)}, {"pid", 1}, {"tid", 0},
           {"args", {{owner, 1}, {"free", 0}}}});
      put({{"name", "critical section owner"}, {"ph", "C"}, {"ts", to_us(c.to.t_ms)}, {"pid", 1}, {"tid", 0},
           {"args", {{owner, 0}, {"free", 1}}}});
    }
  }

  void write_flows() {
    std::uint64_t id = 0;
    for (const timeline::Arrow& a : model_.arrows) {
      ++id;
      bool reached = a.end == timeline::ArrowEnd::run || a.end == timeline::ArrowEnd::timed_out ||
                     a.end == timeline::ArrowEnd::wake || a.end == timeline::ArrowEnd::lost;
      bool pending = a.end == timeline::ArrowEnd::pending;
      if (a.from_thread == timeline::kNoThread) continue;
      if (!pending && (!reached || a.to_thread == timeline::kNoThread)) continue;
      std::string cat = a.end == timeline::ArrowEnd::wake ? "wake" : a.end == timeline::ArrowEnd::lost ? "lost_wakeup"
                        : pending                          ? "pending_event"
                                                           : "event";
      std::string name = a.event > 0 ? "event #" + std::to_string(a.event) : cat;
      json args = {{"what", a.what}, {"end", timeline::arrow_end_code(a.end)}, {"timed_out", a.timed_out}};
      if (pending && !a.held.empty()) args["held_back"] = a.held;
      put({{"name", name}, {"ph", "s"}, {"id", id}, {"ts", to_us(a.from.t_ms)}, {"pid", pid(a.from_thread)},
           {"tid", tid(a.from_thread)}, {"cat", cat}, {"args", args}});
      if (pending) {
        // Still pending at the end: the flow ends on a slice at the run's end on the lane where
        // the event waits (its target thread; a VM or global event without one: where it was
        // queued), so that Perfetto draws the arrow to something (a flow needs a slice to bind).
        std::size_t lane = a.to_thread != timeline::kNoThread ? a.to_thread : a.from_thread;
        put({{"name", name + " still pending"}, {"ph", "X"}, {"ts", to_us(a.to.t_ms)}, {"dur", 0},
             {"pid", pid(lane)}, {"tid", tid(lane)}, {"cat", "pending_event"}, {"args", args}});
        put({{"name", name}, {"ph", "f"}, {"bp", "e"}, {"id", id}, {"ts", to_us(a.to.t_ms)}, {"pid", pid(lane)},
             {"tid", tid(lane)}, {"cat", cat}, {"args", args}});
        continue;
      }
      put({{"name", name}, {"ph", "f"}, {"bp", "e"}, {"id", id}, {"ts", to_us(a.to.t_ms)}, {"pid", pid(a.to_thread)},
           {"tid", tid(a.to_thread)}, {"cat", cat}, {"args", args}});
    }
  }

  void write_instants() {
    std::map<std::string, std::size_t> index;
    for (std::size_t t = 0; t < model_.threads.size(); ++t) index[model_.threads[t].name] = t;
    std::size_t step = 0;
    for (const LogRecord& r : records_) {
      json args = {{"text", r.text}, {"priority", r.priority}, {"step", step++}};
      for (const LogField& f : r.fields) {
        std::string value;
        append_json_field_value(value, f);
        args[f.key] = json::parse(value, nullptr, false);
      }
      auto it = index.find(r.thread);
      bool outside = it == index.end();
      put({{"name", r.kind}, {"ph", "i"}, {"s", "t"}, {"ts", to_us(r.t_ms)}, {"pid", outside ? 1 : pid(it->second)},
           {"tid", outside ? 0 : tid(it->second)}, {"cat", r.kind}, {"args", args}});
    }
    for (const timeline::Mark& m : model_.marks) {
      using timeline::MarkKind;
      if (m.kind != MarkKind::choice && m.kind != MarkKind::starved) continue;
      json e = {{"name", timeline::mark_code(m.kind)}, {"ts", to_us(m.at.t_ms)}, {"pid", pid(m.thread)},
                {"tid", tid(m.thread)}, {"cat", "mark"}, {"args", {{"text", m.text}, {"step", m.at.step}}}};
      e["ph"] = "i";  // an instant, not a slice: a slice over the wait would misnest with the states
      e["s"] = "t";
      if (m.kind == MarkKind::starved) e["args"]["until_ms"] = m.to.t_ms;
      put(e);
    }
  }

  OutputFile file_;
  Model model_;
  std::vector<LogRecord> records_;
  std::map<std::string, int> vm_pid_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<OutputSink> open_chrome_trace(const std::string& path, std::string& error) {
  auto trace = std::make_unique<ChromeTrace>();
  if (!trace->open(path, error)) return nullptr;
  return trace;
}

}  // namespace vmmsim::command
