// timeline_html.cpp: --timeline FILE.html: one self-contained page (inline SVG, CSS and a few lines
// of JS for zooming; no network) that draws one row per thread: when it held the CPU ("run"
// records), when it was blocked ("block" until its "wake"), where it processed events
// ("event_run", "event_timeout"), and its priority over time (each record's priority belongs to its
// thread). Records made outside the run (thread "-") are not drawn. The page is written by
// finish(), once the end of the run is known.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <set>
#include <unordered_map>
#include <vector>

#include "output_file.hpp"
#include "sinks.hpp"

namespace vmmsim::command {

namespace {

struct Span {
  double t0, t1;
  std::string what;
};

struct Mark {
  double t;
  std::string what;
};

struct Row {
  std::string name;
  std::vector<Span> runs;
  std::vector<Span> blocked;
  std::vector<Mark> events;
  std::vector<std::pair<double, std::int64_t>> priority;  // (t, priority) steps
  double run_start = -1;
  std::int64_t run_priority = 0;
  double block_start = -1;
  std::string block_what;
};

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// nice_step: a tick interval of 1, 2 or 5 times a power of ten giving about `ticks` ticks.
double nice_step(double span, int ticks) {
  double raw = span / ticks;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * power) return m * power;
  return 10 * power;
}

constexpr double kLabelWidth = 160, kPlotWidth = 1100, kRowHeight = 44, kAxisHeight = 28;

constexpr const char* kStyle = R"(body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px}.meta{color:#555;margin-bottom:8px}
.wrap{display:flex;border:1px solid #ccc}.scroll{overflow-x:auto;flex:1}
.labels text{font-size:12px}.tick{font-size:10px;fill:#555}
.run{fill:#3a9a4a}.blocked{fill:#f2b8b5}.event{stroke:#1f5fbf;stroke-width:2}
.prio{fill:none;stroke:#e07b00;stroke-width:1.5}.grid{stroke:#e4e4e4}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;
margin-right:4px;vertical-align:-2px}button{margin-right:4px})";

constexpr const char* kScript = R"(const plot=document.getElementById('plot'),zoom=document.getElementById('zoom');
const base=+plot.getAttribute('width');let f=1;
const texts=[...zoom.querySelectorAll('text')].map(t=>[t,+t.getAttribute('x')]);
function apply(){zoom.setAttribute('transform','scale('+f+',1)');plot.setAttribute('width',base*f);
for(const [t,x] of texts){t.setAttribute('x',x*f);t.setAttribute('transform','scale('+(1/f)+',1)');}}
document.getElementById('zin').onclick=()=>{f*=2;apply();};
document.getElementById('zout').onclick=()=>{f=Math.max(1,f/2);apply();};
document.getElementById('zfit').onclick=()=>{f=1;apply();};)";

class TimelineHtml final : public OutputSink {
 public:
  bool open(const std::string& path, std::string& error) { return file_.open(path, error); }

  void record(const LogRecord& r) override {
    if (r.thread == "-") return;  // outside the run (set-up, on_exit): no thread to draw it on
    if (first_t_ < 0) first_t_ = r.t_ms;
    last_t_ = std::max(last_t_, r.t_ms);
    if (r.kind == "run") {
      if (running_ == kNone) {
        for (const LogField& f : r.fields)
          if (f.key == "from" && f.s != "-") start_run(f.s, first_t_, r.priority);
      }
      stop_run(r.t_ms);
      start_run(r.thread, r.t_ms, r.priority);
    }
    Row& own = row(r.thread);
    if (own.priority.empty() || own.priority.back().second != r.priority) own.priority.emplace_back(r.t_ms, r.priority);
    if (r.kind == "block" && own.block_start < 0) {
      own.block_start = r.t_ms;
      own.block_what = r.text;
    } else if (r.kind == "wake" && own.block_start >= 0) {
      own.blocked.push_back({own.block_start, r.t_ms, own.block_what});
      own.block_start = -1;
    } else if (r.kind == "event_run" || r.kind == "event_timeout") {
      own.events.push_back({r.t_ms, r.text});
    }
  }

  std::string finish(double end_ms) override {
    double end = std::max({end_ms, last_t_, 0.0});
    stop_run(end);
    for (Row& r : rows_) {
      if (r.block_start >= 0) r.blocked.push_back({r.block_start, end, r.block_what + " (still blocked at the end)"});
    }
    write_page(end);
    return file_.close();
  }

 private:
  std::size_t row_index(const std::string& name) {
    auto [it, added] = index_.try_emplace(name, rows_.size());
    if (added) rows_.push_back(Row{name, {}, {}, {}, {}, -1, 0, -1, {}});
    return it->second;
  }
  Row& row(const std::string& name) { return rows_[row_index(name)]; }

  void start_run(const std::string& name, double t, std::int64_t priority) {
    running_ = row_index(name);
    rows_[running_].run_start = t;
    rows_[running_].run_priority = priority;
  }

  void stop_run(double t) {
    if (running_ == kNone) return;
    Row& r = rows_[running_];
    r.runs.push_back({r.run_start, t, fmt::format("priority 0x{:X}", r.run_priority)});
    running_ = kNone;
  }

  void write_page(double end) {
    double scale = kPlotWidth / (end > 0 ? end : 1.0);
    auto x = [&](double t) { return t * scale; };
    double height = kAxisHeight + kRowHeight * static_cast<double>(rows_.size()) + 4;
    std::string out;
    out += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>vmmsim timeline</title><style>";
    out += kStyle;
    out += "</style></head><body>\n<h1>vmmsim timeline</h1>\n";
    out += fmt::format("<div class=\"meta\">{} threads, 0 to {:.3f} ms</div>\n", rows_.size(), end);
    out += "<div class=\"legend\"><span><i class=\"run\" style=\"background:#3a9a4a\"></i>running</span>"
           "<span><i style=\"background:#f2b8b5\"></i>blocked</span>"
           "<span><i style=\"background:#1f5fbf\"></i>event processed</span>"
           "<span><i style=\"background:#e07b00\"></i>priority (higher is up)</span>"
           "<button id=\"zin\">zoom in</button><button id=\"zout\">zoom out</button>"
           "<button id=\"zfit\">fit</button></div>\n";
    out += "<div class=\"wrap\">";
    out += fmt::format("<svg class=\"labels\" width=\"{}\" height=\"{:.0f}\" xmlns=\"http://www.w3.org/2000/svg\">",
                       kLabelWidth, height);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      double y = kAxisHeight + kRowHeight * static_cast<double>(i);
      out += fmt::format("<text x=\"6\" y=\"{:.1f}\">{}</text>", y + kRowHeight / 2 + 4, escape(rows_[i].name));
    }
    out += "</svg><div class=\"scroll\">";
    out += fmt::format("<svg id=\"plot\" width=\"{:.0f}\" height=\"{:.0f}\" xmlns=\"http://www.w3.org/2000/svg\">"
                       "<g id=\"zoom\">", kPlotWidth + 40, height);
    double step = nice_step(end > 0 ? end : 1.0, 10);
    for (double t = 0; t <= end + step / 1e6; t += step) {
      out += fmt::format("<line class=\"grid\" x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1}\" y2=\"{2:.0f}\" "
                         "vector-effect=\"non-scaling-stroke\"/><text class=\"tick\" x=\"{0:.2f}\" y=\"14\">{3:g} ms</text>",
                         x(t), kAxisHeight - 6, height, t);
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) write_row(out, rows_[i], kAxisHeight + kRowHeight * static_cast<double>(i), end, x);
    out += "</g></svg></div></div>\n<script>";
    out += kScript;
    out += "</script>\n</body></html>\n";
    file_.write(out);
  }

  template <class X>
  void write_row(std::string& out, const Row& r, double y, double end, X x) {
    out += fmt::format("<line class=\"grid\" x1=\"0\" x2=\"{:.2f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
                       "vector-effect=\"non-scaling-stroke\"/>", x(end), y + kRowHeight, y + kRowHeight);
    for (const Span& s : r.blocked) {
      out += fmt::format("<rect class=\"blocked\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\">"
                         "<title>{} blocked {:.3f}-{:.3f} ms: {}</title></rect>",
                         x(s.t0), y + 4, std::max(x(s.t1) - x(s.t0), 0.5), kRowHeight - 8, escape(r.name), s.t0, s.t1,
                         escape(s.what));
    }
    for (const Span& s : r.runs) {
      out += fmt::format("<rect class=\"run\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\">"
                         "<title>{} runs {:.3f}-{:.3f} ms ({})</title></rect>",
                         x(s.t0), y + 14, std::max(x(s.t1) - x(s.t0), 0.5), kRowHeight - 28, escape(r.name), s.t0, s.t1,
                         s.what);
    }
    for (const Mark& m : r.events) {
      out += fmt::format("<line class=\"event\" x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" "
                         "vector-effect=\"non-scaling-stroke\"><title>{3:.3f} ms {4} {5}</title></line>",
                         x(m.t), y + 4, y + 14, m.t, escape(r.name), escape(m.what));
    }
    if (r.priority.empty()) return;
    std::set<std::int64_t> levels;
    for (const auto& p : r.priority) levels.insert(p.second);
    auto level_y = [&](std::int64_t p) {
      if (levels.size() < 2) return y + kRowHeight - 6;
      auto rank = static_cast<double>(std::distance(levels.begin(), levels.find(p)));
      return y + kRowHeight - 6 - rank * (kRowHeight - 12) / static_cast<double>(levels.size() - 1);
    };
    std::string points;
    double prev_y = level_y(r.priority.front().second);
    for (const auto& [t, p] : r.priority) {
      points += fmt::format("{:.2f},{:.1f} {:.2f},{:.1f} ", x(t), prev_y, x(t), level_y(p));
      prev_y = level_y(p);
    }
    points += fmt::format("{:.2f},{:.1f}", x(end), prev_y);
    std::string values;
    for (std::int64_t p : levels) values += fmt::format(" 0x{:X}", p);
    out += fmt::format("<polyline class=\"prio\" points=\"{}\" vector-effect=\"non-scaling-stroke\">"
                       "<title>{} priority; levels:{}</title></polyline>", points, escape(r.name), values);
  }

  OutputFile file_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, std::size_t> index_;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t running_ = kNone;  // the row of the thread holding the CPU
  double first_t_ = -1;
  double last_t_ = 0;
};

}  // namespace

std::unique_ptr<OutputSink> open_timeline_html(const std::string& path, std::string& error) {
  auto timeline = std::make_unique<TimelineHtml>();
  if (!timeline->open(path, error)) return nullptr;
  return timeline;
}

}  // namespace vmmsim::command
