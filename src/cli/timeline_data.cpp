// timeline_data.cpp: Model -> the page's JSON (timeline_data.hpp). Arrays of numbers rather than
// objects: a 20,000-switch run has some 40,000 intervals, and keys would triple the page.
#include "timeline_data.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace vmmsim::command::timeline {

namespace {

std::int64_t us(double ms) { return std::llround(ms * 1000.0); }

class Strings {
 public:
  // id: the string's index in the table; -1 for "".
  std::int64_t id(const std::string& s) {
    if (s.empty()) return -1;
    auto [it, added] = index_.try_emplace(s, static_cast<std::int64_t>(table_.size()));
    if (added) table_.push_back(s);
    return it->second;
  }
  nlohmann::json json() const { return table_; }

 private:
  std::vector<std::string> table_;
  std::unordered_map<std::string, std::int64_t> index_;
};

}  // namespace

nlohmann::json page_data(const Model& m) {
  Strings strings;
  nlohmann::json d;
  std::int64_t end_us = us(m.end.end_ms);
  d["v"] = 1;
  d["end_us"] = end_us;
  d["steps"] = m.steps;
  d["axis"] = end_us == 0 ? "steps" : "time";  // a run at one instant has its shape only in steps
  d["outcome"] = {{"name", m.end.outcome}, {"exit_code", m.end.exit_code}, {"message", m.end.message}};
  nlohmann::json states = nlohmann::json::array();
  for (std::size_t s = 0; s < kStates; ++s)
    states.push_back({{"code", state_code(State(s))}, {"label", state_label(State(s))}});
  d["states"] = states;

  // Lanes grouped by VM, the System VM first, then the VMs in order of their first thread.
  nlohmann::json threads = nlohmann::json::array(), lanes = nlohmann::json::array();
  std::vector<std::string> vms{"System VM"};
  for (const ThreadInfo& t : m.threads) {
    threads.push_back({{"name", t.name}, {"vm", t.vm}});
    if (std::find(vms.begin(), vms.end(), t.vm) == vms.end()) vms.push_back(t.vm);
  }
  for (const std::string& vm : vms)
    for (std::size_t i = 0; i < m.threads.size(); ++i)
      if (m.threads[i].vm == vm) lanes.push_back(i);
  d["threads"] = threads;
  d["lanes"] = lanes;

  // Every interval goes to the page, as columns of integers (the page merges those too small to
  // see into density bands for the zoom level it draws: timeline.js laneItems): per lane in order
  // of steps; t0 and s0 are deltas from the lane's previous interval (its first: absolute).
  std::vector<std::vector<const Interval*>> per_thread(m.threads.size());
  for (const Interval& i : m.intervals) per_thread[i.thread].push_back(&i);
  nlohmann::json c_thread = nlohmann::json::array(), c_state = nlohmann::json::array(),
                 c_t0 = nlohmann::json::array(), c_dt = nlohmann::json::array(), c_s0 = nlohmann::json::array(),
                 c_ds = nlohmann::json::array(), c_detail = nlohmann::json::array();
  for (auto& list : per_thread) {
    std::sort(list.begin(), list.end(), [](const Interval* a, const Interval* c) { return a->from.step < c->from.step; });
    std::int64_t last_t = 0;
    std::uint64_t last_s = 0;
    for (const Interval* i : list) {
      std::int64_t t0 = us(i->from.t_ms), t1 = us(i->to.t_ms);
      c_thread.push_back(i->thread);
      c_state.push_back(static_cast<int>(i->state));
      c_t0.push_back(t0 - last_t);
      c_dt.push_back(t1 - t0);
      c_s0.push_back(i->from.step - last_s);
      c_ds.push_back(i->to.step - i->from.step);
      c_detail.push_back(strings.id(i->detail));
      last_t = t0;
      last_s = i->from.step;
    }
  }
  d["iv"] = {{"thread", c_thread}, {"state", c_state}, {"t0", c_t0}, {"dt", c_dt},
             {"s0", c_s0},         {"ds", c_ds},       {"detail", c_detail}};
  d["exact"] = m.exact;

  nlohmann::json prio = nlohmann::json::array();
  for (const PrioStep& p : m.priority) prio.push_back({p.thread, us(p.at.t_ms), p.at.step, p.priority, strings.id(p.why)});
  d["prio"] = prio;
  nlohmann::json crit = nlohmann::json::array();
  for (const CritSpan& c : m.crit) crit.push_back({c.owner, us(c.from.t_ms), us(c.to.t_ms), c.from.step, c.to.step});
  d["crit"] = crit;
  nlohmann::json marks = nlohmann::json::array();
  for (const Mark& k : m.marks)
    marks.push_back({k.thread, mark_code(k.kind), us(k.at.t_ms), k.at.step, strings.id(k.text), us(k.to.t_ms), k.to.step});
  d["marks"] = marks;
  nlohmann::json arrows = nlohmann::json::array();
  for (const Arrow& a : m.arrows) {
    long long to = a.to_thread == kNoThread ? -1 : static_cast<long long>(a.to_thread);
    arrows.push_back({a.event, a.from_thread, us(a.from.t_ms), a.from.step, to, us(a.to.t_ms), a.to.step,
                      arrow_end_code(a.end), a.timed_out ? 1 : 0, strings.id(a.what), strings.id(a.held)});
  }
  d["arrows"] = arrows;
  d["strings"] = strings.json();
  return d;
}

}  // namespace vmmsim::command::timeline
