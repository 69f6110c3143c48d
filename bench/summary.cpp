#include "summary.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <string>
#include <vector>

namespace vmmsim::bench {
namespace {

struct Row {
  std::string figure, value, baseline, ratio, target, verdict;
};

std::string duration(double ns) {
  if (ns < 1e3) return fmt::format("{:.0f} ns", ns);
  if (ns < 1e6) return fmt::format("{:.2f} µs", ns / 1e3);
  if (ns < 1e9) return fmt::format("{:.1f} ms", ns / 1e6);
  return fmt::format("{:.2f} s", ns / 1e9);
}

std::string verdict(bool met) { return met ? "met" : "MISSED"; }

// Builds the rows; a figure whose benchmark did not run (filtered out, failed) says so.
class Table {
 public:
  Table(const Results& results, const InstructionCounts& counts) : results_(results), counts_(counts) {}

  std::vector<Row> rows() {
    event_path();
    round_trip();
    scheduling();
    scenario();
    threads();
    lua_start();
    emulated();
    instructions();
    return rows_;
  }

 private:
  void event_path() {
    const char* figure = "queue + process one restricted event (no switch)";
    auto v = results_.find("event_path/vmmsim"), a = results_.find("event_path/asio"),
         d = results_.find("event_path/deque");
    if (!all_ok({v, a, d})) return missing(figure);
    double ratio = v->ns / a->ns;
    rows_.push_back({figure, duration(v->ns),
                     fmt::format("Asio post+run_one {}; deque<function> {}", duration(a->ns), duration(d->ns)),
                     fmt::format("{:.2f}× Asio", ratio), "≤ 0.5× Asio", verdict(ratio <= 0.5)});
  }

  void round_trip() {
    const char* figure = "_BlockOnID/_SignalID round trip, 2 threads";
    auto v = results_.find("round_trip/vmmsim"), o = results_.find("round_trip/os_threads"),
         c = results_.find("round_trip/boost_context");
    if (!all_ok({v, o, c})) return missing(figure);
    double faster = o->ns / v->ns;
    rows_.push_back({figure, duration(v->ns),
                     fmt::format("OS threads (mutex+condvar) {} (wall); Boost.Context pair {}", duration(o->ns),
                                 duration(c->ns)),
                     fmt::format("{:.0f}× faster than OS threads; {:.1f}× Boost.Context", faster, v->ns / c->ns),
                     "≥ 50× faster than OS threads, ≤ 100 ns", verdict(faster >= 50 && v->ns <= 100)});
  }

  void scheduling() {
    auto base = results_.find("scheduling/eligible/10");
    for (const char* n : {"1000", "100000"}) {
      std::string figure = fmt::format("scheduling decision, {} eligible (round trip = 2 decisions)", n);
      auto m = results_.find(std::string("scheduling/eligible/") + n);
      if (!all_ok({base, m})) {
        missing(figure);
        continue;
      }
      double ratio = m->ns / base->ns;
      bool last = std::string(n) == "100000";
      rows_.push_back({figure, duration(m->ns), fmt::format("itself at 10 eligible: {}", duration(base->ns)),
                       fmt::format("{:.2f}×", ratio), last ? "≤ 2× at 100,000" : "report",
                       last ? verdict(ratio <= 2) : "-"});
    }
  }

  void scenario() {
    const char* figure = "scenario with E events, E = 1k ... 1M";
    std::vector<std::pair<double, double>> points;  // (events, ns)
    for (const char* e : {"1000", "10000", "100000", "1000000"}) {
      auto m = results_.find(std::string("scenario/events/") + e);
      if (!all_ok({m})) return missing(figure);
      points.emplace_back(std::stod(e), m->ns);
    }
    // Least-squares line through (E, time): the slope is the cost of one more event.
    double n = static_cast<double>(points.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (auto [x, y] : points) {
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double per_first = points.front().second / points.front().first;
    double per_last = points.back().second / points.back().first;
    double ratio = per_last / per_first;
    rows_.push_back({figure, fmt::format("slope {}/event; 1M events in {}", duration(slope),
                                         duration(points.back().second)),
                     fmt::format("itself at 1k: {}/event", duration(per_first)),
                     fmt::format("{:.2f}× per event at 1M vs 1k", ratio), "time linear in E",
                     verdict(ratio <= 1.5)});
  }

  void threads() {
    for (const char* n : {"100000", "1000000"}) {
      bool million = std::string(n) == "1000000";
      std::string figure = fmt::format("{} threads created, each run once", million ? "1,000,000" : "100,000");
      auto m = results_.find(std::string("threads/created_and_run/") + n);
      if (!m) {
        missing(figure);
        continue;
      }
      if (!m->error.empty()) {
        rows_.push_back({figure, "FAILED: " + m->error, "-", "-", million ? "≤ 16 KiB/thread; no failure" : "≤ 16 KiB/thread",
                         "MISSED"});
        continue;
      }
      double kib = m->counters.at("KiB_per_thread");
      rows_.push_back({figure,
                       fmt::format("{:.1f} KiB resident/thread (+{:.1f} KiB page tables); {} (wall, {:.2f} µs/thread)",
                                   kib, m->counters.at("PTE_KiB_per_thread"), duration(m->ns),
                                   m->counters.at("us_per_thread")),
                       "-", "-", million ? "≤ 16 KiB/thread; no failure" : "≤ 16 KiB/thread", verdict(kib <= 16)});
    }
  }

  void lua_start() {
    const char* figure = "Lua scenario start (state, bindings, load, run)";
    auto s = results_.find("lua_start/scenario"), p = results_.find("lua_start/lua5.4_process");
    if (!all_ok({s, p})) return missing(figure);
    rows_.push_back({figure, duration(s->ns) + " (wall)", fmt::format("`lua5.4 -e ''` process {} (wall)", duration(p->ns)),
                     fmt::format("{:.2f}× the process", s->ns / p->ns), "report", "-"});
  }

  // Issue 20 item 5: a VMM service an emulated driver calls (INT 20h trapped, the service, back),
  // without and with the budget a scenario gives it; and explore on the driver built both ways.
  void emulated() {
    for (const char* which : {"", "_budget"}) {
      std::string figure = fmt::format("emulated driver: VMM service trapped at INT 20h{}",
                                       *which ? " (with the --max-steps budget)" : "");
      auto t = results_.find(std::string("emu/trapped_service_x1000") + which);
      if (!all_ok({t})) {
        missing(figure);
        continue;
      }
      double ns = t->ns / 1000;
      rows_.push_back({figure, duration(ns), "-", "-", "≤ 200 ns", verdict(ns <= 200)});
    }
    const char* figure = "explore: emulated disk_fixed against the C interface (schedules/s)";
    auto e = results_.find("emu/explore_emulated"), c = results_.find("emu/explore_c_interface");
    if (!all_ok({e, c})) return missing(figure);
    double ratio = e->ns / c->ns;
    rows_.push_back({figure, fmt::format("{:.0f}/s", e->counters.at("schedules_per_s")),
                     fmt::format("C interface {:.0f}/s", c->counters.at("schedules_per_s")),
                     fmt::format("{:.1f}× slower", ratio), "≤ 10× slower", verdict(ratio <= 10)});
  }

  void instructions() {
    const char* event = "instructions per event (callgrind)";
    const char* trip = "instructions per round trip (callgrind)";
    if (!counts_.error.empty()) {
      rows_.push_back({event, counts_.error, "", "", "", ""});
      return;
    }
    auto at = [&](const char* mode) { return counts_.per_op.at(mode); };
    rows_.push_back({event, fmt::format("{:.0f}", at("event")),
                     fmt::format("Asio {:.0f}; deque push+pop+call {:.0f}", at("asio"), at("deque")),
                     fmt::format("{:.1f}× Asio; {:.1f}× the deque floor", at("event") / at("asio"),
                                 at("event") / at("deque")),
                     "report", "-"});
    rows_.push_back({trip, fmt::format("{:.0f}", at("round_trip")),
                     fmt::format("Boost.Context switch pair {:.0f}", at("context")),
                     fmt::format("{:.1f}× Boost.Context", at("round_trip") / at("context")), "report", "-"});
  }

  static bool all_ok(std::initializer_list<std::optional<Measurement>> ms) {
    return std::all_of(ms.begin(), ms.end(), [](const auto& m) { return m && m->error.empty(); });
  }

  void missing(const std::string& figure) {
    rows_.push_back({figure, "not run or failed (see above)", "", "", "", ""});
  }

  const Results& results_;
  const InstructionCounts& counts_;
  std::vector<Row> rows_;
};

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// width: display width, counting each UTF-8 character (µ, ×, ≤, …) once.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

void print_summary(const Results& results, const InstructionCounts& counts) {
  std::vector<Row> rows = Table(results, counts).rows();
  std::array<std::string, 6> header{"figure", "vmmsim", "baseline (same run)", "ratio", "target", ""};
  std::array<std::size_t, 6> w{};
  auto fields = [](const Row& r) { return std::array<const std::string*, 6>{&r.figure, &r.value, &r.baseline, &r.ratio, &r.target, &r.verdict}; };
  for (std::size_t i = 0; i < 6; ++i) w[i] = width(header[i]);
  for (const Row& r : rows) {
    auto f = fields(r);
    for (std::size_t i = 0; i < 6; ++i) w[i] = std::max(w[i], width(*f[i]));
  }
  auto line = [&](const std::array<const std::string*, 6>& f) {
    std::string out = "|";
    for (std::size_t i = 0; i < 6; ++i) out += " " + *f[i] + std::string(w[i] - width(*f[i]), ' ') + " |";
    fmt::print("{}\n", out);
  };
  fmt::print("\nvmmsim benchmarks: {}, {} cores; medians of repeated runs; CPU time of the benchmarking thread unless marked (wall)\n\n", cpu_model(),
             sysconf(_SC_NPROCESSORS_ONLN));
  line({&header[0], &header[1], &header[2], &header[3], &header[4], &header[5]});
  std::string rule = "|";
  for (std::size_t i = 0; i < 6; ++i) rule += std::string(w[i] + 2, '-') + "|";
  fmt::print("{}\n", rule);
  for (const Row& r : rows) line(fields(r));
}

}  // namespace vmmsim::bench
