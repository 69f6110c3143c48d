// timeline_check: the structural test of one run's outputs (issue 14). Given the --trace JSONL,
// the --timeline page and the --chrome-trace file of the same run, checks
// - the page's data model against the log: every thread has a lane; intervals per lane are in
//   order and never overlap; one thread at most holds the CPU at any step, and the one a "run"
//   record names does; a thread that blocked and gave up the CPU is drawn blocked; each thread's
//   priority at each of its records is the record's; every queued event has its arrow, ending
//   where the log says (run, timed out, cancelled, still pending); _SignalID that woke no one,
//   spurious wake-ups, interrupts and slice ends are marked; the outcome is the trace's last record;
// - the Chrome trace against the Trace Event Format: phases, ids, counters, flows, and the same
//   content (a track per thread, the CPU slices never overlap, a flow per event that ran, a flow
//   to an end-of-run slice per event still pending, the outcome last with the diagnosis).
// Prints each failed check and exits 1; exit 0 when all hold.
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    if (failures <= 30) std::cout << "FAIL: " << what << "\n";
  }
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json page_data(const std::string& html) {
  auto from = html.find("<script id=\"data\" type=\"application/json\">");
  if (from == std::string::npos) return json();
  from = html.find('>', from) + 1;
  return json::parse(html.substr(from, html.find("</script>", from) - from));
}

const std::set<std::string> kCpu = {"running", "callback", "nested", "hw_int", "servicing"};
const std::set<std::string> kBlocked = {"blocked", "svc_waiting", "suspended"};

struct Lane {
  std::vector<json> iv;  // [thread, state, t0, t1, s0, s1, detail], sorted by s0
};

// check_annotations: the annotation records made the page exact: each thread's VM is its "thread"
// record's; another thread's "priority" record is its step line's value at that step (unless
// its own record at the same step says otherwise); after an "event_done" that returns its thread
// from its last callback, the thread is not drawn in a callback at the next step unless the
// record there starts another.
void check_annotations(const std::vector<json>& notes, const std::vector<json>& log, const json& d,
                       const std::vector<Lane>& lanes, const std::vector<std::string>& state) {
  std::size_t records = log.size() - 1;  // the last is the outcome
  check(notes.empty() || d["exact"] == true, "a page with annotation records says it is exact");
  std::map<std::string, int> tid;
  for (std::size_t i = 0; i < d["threads"].size(); ++i) tid[d["threads"][i]["name"]] = static_cast<int>(i);
  std::vector<std::vector<json>> prio(d["threads"].size());
  for (const json& p : d["prio"]) prio[p[0].get<std::size_t>()].push_back(p);
  std::map<std::string, int> depth;
  for (const json& n : notes) {
    std::size_t step = n["step"];
    if (n["kind"] == "thread") {
      std::string name = n["name"];
      check(tid.count(name) && d["threads"][tid[name]]["vm"] == n["vm"], name + "'s VM is its thread record's");
    } else if (n["kind"] == "priority") {
      std::string name = n["target"];
      if (!tid.count(name)) { check(false, "a lane for " + name); continue; }
      bool later = false;
      for (const json& m : notes)
        if (m["step"] == step && m["kind"] == "priority" && m["target"] == name && &m > &n) later = true;
      if (later || (step < records && log[step]["thread"] == name)) continue;
      const json* at = nullptr;
      for (const json& p : prio[tid[name]])
        if (p[2] <= step) at = &p;
      check(at && (*at)[3] == n["value"], "priority of " + name + " at step " + std::to_string(step) +
                                              " is its priority record's");
    }
  }
  // event_done: walk records and notes together, counting each thread's running callbacks.
  std::size_t next_note = 0;
  for (std::size_t s = 0; s <= records; ++s) {
    for (; next_note < notes.size() && notes[next_note]["step"] == s; ++next_note) {
      const json& n = notes[next_note];
      if (n["kind"] != "event_done" || n["thread"] == "-") continue;
      std::string who = n["thread"];
      if (depth[who] > 0) --depth[who];
      if (depth[who] > 0 || s >= records || !tid.count(who)) continue;
      const json& r = log[s];
      bool starts = r["thread"] == who && (r["kind"] == "event_run" || r["kind"] == "event_run_timed_out" ||
                                           r["kind"] == "event_call");
      if (starts) continue;
      std::string at;
      for (const json& i : lanes[tid[who]].iv)
        if (i[4] <= s && s < i[5]) at = state[i[1].get<int>()];
      check(at != "callback", who + " is not drawn in a callback after it returned (step " + std::to_string(s) + ")");
    }
    if (s == records) break;
    const json& r = log[s];
    if (r["kind"] == "event_run" || r["kind"] == "event_run_timed_out" ||
        (r["kind"] == "event_call" && !r.contains("event")))
      ++depth[r["thread"].get<std::string>()];
    if (r["kind"] == "run" || r["kind"] == "block") {
      depth[r["thread"].get<std::string>()] = 0;
      if (r.contains("from") && r["from"].is_string()) depth[r["from"].get<std::string>()] = 0;
    }
  }
}

void check_page(const std::vector<json>& log, const std::vector<json>& notes, const json& d) {
  const json& outcome = log.back();
  check(outcome["kind"] == "outcome", "the JSONL trace ends with an outcome record");
  check(d["outcome"]["name"] == outcome["outcome"], "the page's outcome is the trace's");
  check(d["outcome"]["message"] == outcome["message"], "the page's diagnosis is the trace's");
  std::size_t records = log.size() - 1;
  check(d["steps"] == records, "one step per record");

  std::map<std::string, int> tid;
  for (std::size_t i = 0; i < d["threads"].size(); ++i) tid[d["threads"][i]["name"]] = static_cast<int>(i);
  std::set<std::string> named;
  for (std::size_t s = 0; s < records; ++s) {
    const json& r = log[s];
    if (r["thread"] != "-") named.insert(r["thread"]);
    for (const char* k : {"from", "target", "owner"})
      if (r.contains(k) && r[k].is_string() && r[k] != "-") named.insert(r[k]);
  }
  for (const std::string& n : named) check(tid.count(n) == 1, "a lane for thread " + n);
  check(d["lanes"].size() == d["threads"].size(), "every thread is on a lane");

  std::vector<std::string> state;
  for (const json& s : d["states"]) state.push_back(s["code"]);
  std::vector<Lane> lanes(d["threads"].size());
  const json& cols = d["iv"];
  check(cols.is_object() && cols.contains("thread"), "the intervals are columns");
  if (!cols.is_object() || !cols.contains("thread")) return;
  std::int64_t last_lane = -1, t0 = 0, s0 = 0;
  for (std::size_t k = 0; k < cols["thread"].size(); ++k) {
    std::int64_t lane = cols["thread"][k];
    if (lane != last_lane) t0 = s0 = 0;
    last_lane = lane;
    t0 += cols["t0"][k].get<std::int64_t>();
    s0 += cols["s0"][k].get<std::int64_t>();
    lanes[static_cast<std::size_t>(lane)].iv.push_back(json::array(
        {lane, cols["state"][k], t0, t0 + cols["dt"][k].get<std::int64_t>(), s0, s0 + cols["ds"][k].get<std::int64_t>(),
         cols["detail"][k]}));
  }
  std::vector<int> cpu_at(records + 1, -1);
  for (std::size_t t = 0; t < lanes.size(); ++t) {
    auto& iv = lanes[t].iv;
    std::sort(iv.begin(), iv.end(), [](const json& a, const json& b) { return a[4] < b[4]; });
    for (std::size_t k = 0; k < iv.size(); ++k) {
      check(iv[k][4] < iv[k][5] && iv[k][2] <= iv[k][3], "an interval has a positive extent");
      if (k > 0) check(iv[k - 1][5] <= iv[k][4], "intervals of one lane do not overlap");
      if (kCpu.count(state[iv[k][1].get<int>()]))
        for (auto s = iv[k][4].get<std::size_t>(); s < iv[k][5].get<std::size_t>() && s <= records; ++s) {
          check(cpu_at[s] == -1, "one thread at most holds the CPU at step " + std::to_string(s));
          cpu_at[s] = static_cast<int>(t);
        }
    }
  }
  auto state_at = [&](const std::string& name, std::size_t step) -> std::string {
    for (const json& i : lanes[tid[name]].iv)
      if (i[4] <= step && step < i[5]) return state[i[1].get<int>()];
    return "";
  };
  std::map<std::string, std::string> last_kind, last_text;
  for (std::size_t s = 0; s < records; ++s) {
    const json& r = log[s];
    std::string who = r["thread"];
    if (r["kind"] == "run") {
      check(cpu_at[s] == tid[who], who + " holds the CPU from its run record at step " + std::to_string(s));
      std::string from = r.value("from", "-");
      if (from != "-" && from != who && last_kind[from] == "block" && last_text[from].rfind("blocks again", 0) != 0)
        check(kBlocked.count(state_at(from, s)) == 1, from + " is drawn blocked after it blocked (step " +
                                                          std::to_string(s) + ")");
    }
    if (who != "-") {
      last_kind[who] = r["kind"];
      last_text[who] = r["text"];
    }
  }

  // Priority: at each record, its thread's step line is at the record's priority.
  std::vector<std::vector<json>> prio(d["threads"].size());
  for (const json& p : d["prio"]) prio[p[0].get<std::size_t>()].push_back(p);
  for (std::size_t s = 0; s < records; ++s) {
    const json& r = log[s];
    if (r["thread"] == "-") continue;
    const json* at = nullptr;
    for (const json& p : prio[tid[r["thread"]]])
      if (p[2] <= s) at = &p;
    check(at && (*at)[3] == r["priority"], "priority of " + r["thread"].get<std::string>() + " at step " +
                                               std::to_string(s) + " is the record's");
  }

  check_annotations(notes, log, d, lanes, state);

  // Events: queued -> run, timed out, cancelled or pending, as the log says.
  std::map<std::int64_t, json> arrows;
  for (const json& a : d["arrows"])
    if (a[0] > 0 && a[7] != "wake" && a[7] != "lost") arrows[a[0]] = a;
  for (std::size_t s = 0; s < records; ++s) {
    const json& r = log[s];
    if (r["kind"] != "event_queued" || !r.contains("event")) continue;
    std::int64_t ev = r["event"];
    std::string where = "event #" + std::to_string(ev);
    check(arrows.count(ev) == 1, "an arrow for " + where);
    if (!arrows.count(ev)) continue;
    const json& a = arrows[ev];
    check(a[3] == s && a[1] == tid[r["thread"]], where + "'s arrow starts at its event_queued record");
    std::string end = "pending";
    std::size_t end_step = records;
    std::string on;
    for (std::size_t k = s + 1; k < records; ++k) {
      const json& q = log[k];
      bool same = q.contains("event") && q["event"] == ev;
      if (same && (q["kind"] == "event_run" || q["kind"] == "event_run_timed_out")) {
        end = q["kind"] == "event_run" ? "run" : "timed_out";
      } else if (q["kind"] == "event_cancel" && q["text"].get<std::string>().find("#" + std::to_string(ev)) != std::string::npos) {
        end = "cancelled";
      } else {
        continue;
      }
      end_step = k;
      on = q["thread"];
      break;
    }
    check(a[7] == end, where + " ends " + end);
    check(a[6] == end_step, where + "'s arrow ends at step " + std::to_string(end_step));
    if (!on.empty()) check(a[4] == tid[on], where + "'s arrow ends on " + on);
  }

  // Marks for the records that are the bug in the examples.
  std::set<std::pair<std::string, std::size_t>> marks;
  for (const json& m : d["marks"]) marks.insert({m[1].get<std::string>(), m[3].get<std::size_t>()});
  const std::map<std::string, std::string> mark_of = {
      {"signal", "signal_none"}, {"wake_spurious", "spurious"}, {"irq", "irq"}, {"slice", "slice"}, {"event_timeout", "timeout"}};
  for (std::size_t s = 0; s < records; ++s)
    if (auto it = mark_of.find(log[s]["kind"]); it != mark_of.end())
      check(marks.count({it->second, s}) == 1, it->second + " marked at step " + std::to_string(s));
  if (outcome["outcome"] == "starved" && outcome["message"].get<std::string>().find("waited more than") != std::string::npos) {
    bool starved = false;
    for (const json& m : d["marks"]) starved |= m[1] == "starved";
    check(starved, "the starved wait is marked");
  }

  // The critical section: each claim by a new owner starts a span, each release ends one.
  std::set<std::size_t> starts, ends;
  for (const json& c : d["crit"]) {
    starts.insert(c[3].get<std::size_t>());
    ends.insert(c[4].get<std::size_t>());
  }
  for (std::size_t s = 0; s < records; ++s) {
    if (log[s]["kind"] == "crit_release") check(ends.count(s) == 1, "a crit span ends at step " + std::to_string(s));
  }
}

void check_chrome(const json& doc, const json& d, const json& outcome) {
  check(doc.is_object() && doc.contains("traceEvents") && doc["traceEvents"].is_array(), "traceEvents array");
  if (!doc.contains("traceEvents")) return;
  const std::set<std::string> phases = {"X", "i", "C", "M", "s", "f"};
  std::map<std::uint64_t, std::pair<int, int>> flows;  // id -> (starts, finishes)
  std::set<std::string> thread_names, counters, flow_names, slice_names;
  std::map<std::string, std::pair<double, int>> flow_end;  // flow name -> ts and tid of its "f"
  std::vector<std::pair<double, double>> cpu;
  for (const json& e : doc["traceEvents"]) {
    bool ok = e.is_object() && e.contains("name") && e["name"].is_string() && e.contains("ph") &&
              e.contains("pid") && e["pid"].is_number_integer() && e.contains("tid") && e["tid"].is_number_integer();
    check(ok, "an event has name, ph, pid and tid: " + e.dump().substr(0, 120));
    if (!ok) continue;
    std::string ph = e["ph"];
    check(phases.count(ph) == 1, "a known phase: " + ph);
    if (ph != "M") check(e.contains("ts") && e["ts"].is_number() && e["ts"] >= 0, "a time stamp");
    if (ph == "M") {
      check(e.contains("args") && e["args"].is_object(), "metadata has args");
      if (e["name"] == "thread_name") thread_names.insert(e["args"]["name"]);
    } else if (ph == "X") {
      check(e.contains("dur") && e["dur"].is_number() && e["dur"] >= 0, "a complete event has dur >= 0");
      if (e.value("cat", "") == "cpu" && e["dur"] > 0) cpu.push_back({e["ts"], e["ts"].get<double>() + e["dur"].get<double>()});
      slice_names.insert(e["name"].get<std::string>() + "@" + std::to_string(e["tid"].get<int>()));
    } else if (ph == "i") {
      check(e.contains("s") && (e["s"] == "t" || e["s"] == "p" || e["s"] == "g"), "an instant has a scope");
    } else if (ph == "C") {
      bool numeric = e.contains("args") && e["args"].is_object() && !e["args"].empty();
      if (numeric)
        for (const auto& [k, v] : e["args"].items()) numeric &= v.is_number();
      check(numeric, "a counter's args are numbers");
      counters.insert(e["name"]);
    } else {
      check(e.contains("id"), "a flow event has an id");
      auto& f = flows[e["id"].get<std::uint64_t>()];
      (ph == "s" ? f.first : f.second)++;
      flow_names.insert(e["name"]);
      if (ph == "f") flow_end[e["name"]] = {e["ts"].get<double>(), e["tid"].get<int>()};
    }
  }
  for (const auto& [id, f] : flows) check(f.first == 1 && f.second == 1, "flow " + std::to_string(id) + " starts and finishes once");
  std::sort(cpu.begin(), cpu.end());
  for (std::size_t k = 1; k < cpu.size(); ++k) check(cpu[k - 1].second <= cpu[k].first + 1e-6, "CPU slices never overlap");
  for (const json& t : d["threads"]) check(thread_names.count(t["name"]) == 1, "a track for " + t["name"].get<std::string>());
  for (const json& p : d["prio"]) {
    std::string name = "priority " + d["threads"][p[0].get<std::size_t>()]["name"].get<std::string>();
    check(counters.count(name) == 1, "a counter " + name);
  }
  check(counters.count("critical section owner") == 1, "a critical-section owner counter");
  for (const json& a : d["arrows"])
    if (a[0] > 0 && (a[7] == "run" || a[7] == "timed_out"))
      check(flow_names.count("event #" + std::to_string(a[0].get<long long>())) == 1, "a flow for an event that ran");
  // An event still pending at the end: a flow from where it was queued to an end-of-run slice on
  // the lane where it waits (its target thread, else the thread that queued it).
  double end_us = d["end_us"].get<double>();
  for (const json& a : d["arrows"]) {
    if (!(a[0] > 0 && a[7] == "pending")) continue;
    std::string name = "event #" + std::to_string(a[0].get<long long>());
    check(flow_names.count(name) == 1, "a flow for pending " + name);
    if (!flow_end.count(name)) continue;
    int lane = (a[4].get<long long>() >= 0 ? a[4].get<int>() : a[1].get<int>()) + 1;
    check(flow_end[name].second == lane, "pending " + name + "'s flow ends on the lane where it waits");
    check(std::abs(flow_end[name].first - end_us) < 1.0, "pending " + name + "'s flow ends at the run's end");
    check(slice_names.count(name + " still pending@" + std::to_string(lane)) == 1,
          "an end-of-run slice for pending " + name);
  }
  const json& last = doc["traceEvents"].back();
  check(last["name"] == "outcome: " + outcome["outcome"].get<std::string>() && last["args"]["diagnosis"] == outcome["message"],
        "the outcome is the last event, with the diagnosis in its args");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: timeline_check TRACE.jsonl PAGE.html CHROME.json\n";
    return 2;
  }
  // The records (one step each) and, apart, the annotation records with the step they sit at.
  std::vector<json> log, notes;
  std::istringstream lines(slurp(argv[1]));
  for (std::string line; std::getline(lines, line);) {
    json r = json::parse(line);
    if (r.value("annotation", false)) {
      r["step"] = log.size();
      notes.push_back(r);
    } else {
      log.push_back(r);
    }
  }
  if (log.empty()) {
    std::cout << "FAIL: empty trace\n";
    return 1;
  }
  json d = page_data(slurp(argv[2]));
  check(d.is_object(), "the page has its data");
  if (d.is_object()) check_page(log, notes, d);
  json doc = json::parse(slurp(argv[3]), nullptr, false);
  check(!doc.is_discarded(), "the Chrome trace is JSON");
  if (!doc.is_discarded() && d.is_object()) check_chrome(doc, d, log.back());
  if (failures) std::cout << failures << " check(s) failed\n";
  return failures ? 1 : 0;
}
