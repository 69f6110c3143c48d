// timeline_model.cpp: the records of a run replayed into per-thread states (timeline_model.hpp).
//
// What the records say directly: who got the CPU ("run", field "from"), who blocked on what
// ("block"), who woke whom ("wake_signal", "wake_spurious", a critical-section hand-off), nested
// execution and hardware interrupts ("nest", "hw_int"), events queued, run, timed out and cancelled
// (field "event" or "#N" in the text), suspensions, the critical section's owner, and the current
// thread's priority at each record. The annotation records (no lines of the log) say the rest:
// "thread" (name, VM, base priority: at the run's start and on create), "priority" (a thread's
// priority changed while another held the CPU) and "event_done" (a callback returned). Without
// them (Model::exact false: a sink that did not ask for them) those are estimated:
// - a thread's VM: a thread named after a VM the log names is that VM's (VM threads carry their
//   VM's name), every other thread is the System VM's;
// - where a callback returns: at the next record of its thread that is not made from inside one,
//   or when time advances;
// - another thread's priority between its own records: its last one plus the deltas of boosts,
//   claims and event boosts aimed at it.
#include "timeline_model.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace vmmsim::command::timeline {

namespace {

const LogField* field(const LogRecord& r, std::string_view key) {
  for (const LogField& f : r.fields)
    if (f.key == key) return &f;
  return nullptr;
}

// hex_after: the hexadecimal number after `prefix` in text ("priority now 0x110"), or -1.
std::int64_t hex_after(std::string_view text, std::string_view prefix) {
  auto at = text.find(prefix);
  if (at == std::string_view::npos) return -1;
  return std::strtoll(std::string(text.substr(at + prefix.size())).c_str(), nullptr, 16);
}

// number_after_hash: N of the first "#N" in text, or 0.
std::int64_t number_after_hash(std::string_view text) {
  auto at = text.find('#');
  if (at == std::string_view::npos) return 0;
  return std::strtoll(std::string(text.substr(at + 1)).c_str(), nullptr, 10);
}

// EventWords: an event as Kernel::describe_event writes it: "thread event for B #1 boost 0x10
// PEF_Always_Sched", "VM event for DOS #2", "global event #3".
struct EventWords {
  enum { global, vm, thread, none } kind = none;
  std::string target;
  std::int64_t boost = 0;
  std::string what;  // from the target's words to the end of the text
};

EventWords event_words(std::string_view text) {
  EventWords e;
  for (auto [prefix, kind] : {std::pair{std::string_view("thread event for "), EventWords::thread},
                              std::pair{std::string_view("VM event for "), EventWords::vm},
                              std::pair{std::string_view("global event #"), EventWords::global}}) {
    auto at = text.find(prefix);
    if (at == std::string_view::npos) continue;
    e.kind = kind;
    e.what = std::string(text.substr(at));
    if (kind != EventWords::global) {
      auto name_at = at + prefix.size();
      auto hash = text.find(" #", name_at);
      e.target = std::string(text.substr(name_at, hash - name_at));
    }
    e.boost = std::max<std::int64_t>(0, hex_after(text, " boost 0x"));
    break;
  }
  return e;
}

std::string fmt_hex(std::int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llX", static_cast<unsigned long long>(v));
  return buf;
}

bool made_inside_callback(std::string_view kind) {
  for (std::string_view k : {"log", "event_queued", "event_cancel", "timeout_set", "crit_claim", "crit_release",
                             "boost", "signal", "wake_signal", "warning", "event_call", "semaphore", "create",
                             "suspend", "resume", "event_run", "event_run_timed_out"})
    if (kind == k) return true;
  return false;
}

}  // namespace

const char* state_code(State s) {
  static const char* const codes[kStates] = {"running", "callback", "nested",      "hw_int",   "servicing",
                                             "ready",   "svc_waiting", "blocked", "suspended"};
  return codes[static_cast<std::size_t>(s)];
}

const char* state_label(State s) {
  static const char* const labels[kStates] = {
      "running (ring 3)",       "event callback (ring 0)",
      "nested execution",       "in a hardware interrupt",
      "servicing events while blocked", "ready, waiting for the CPU",
      "blocked, events pending it may service: waiting for the CPU", "blocked",
      "suspended (its VM)"};
  return labels[static_cast<std::size_t>(s)];
}

const char* mark_code(MarkKind k) {
  static const char* const codes[] = {"irq",         "hw_int", "exec_int", "slice",      "timeout",
                                      "timeout_set", "signal_none", "signal", "spurious", "event_call",
                                      "warning",     "log",    "choice",   "starved",    "finish", "outcome"};
  return codes[static_cast<std::size_t>(k)];
}

const char* arrow_end_code(ArrowEnd e) {
  static const char* const codes[] = {"run", "timed_out", "cancelled", "pending", "wake", "lost"};
  return codes[static_cast<std::size_t>(e)];
}

std::size_t Model::thread(const std::string& name, bool create_ready) {
  auto [it, added] = index_.try_emplace(name, threads.size());
  if (added) {
    threads.push_back({name, ""});
    tracks_.emplace_back();
    // Threads made at set-up are runnable from the start; a "create" record says when later.
    if (create_ready) {
      Track& k = tracks_.back();
      k.open = true;
      k.state = State::ready;
      k.since = Pos{};
    }
  }
  return it->second;
}

// aimed_at: a's target is thread t: a thread event for it, a VM event for its VM (exact when the
// thread's VM is known from its "thread" record), or any thread for a global event.
bool Model::aimed_at(const Arrow& a, std::size_t t) const {
  const std::string& name = threads[t].name;
  if (a.target_kind == "global") return true;
  if (a.target_kind == "thread") return a.target_name == name;
  if (a.target_kind != "vm") return false;
  if (threads[t].exact_vm) return threads[t].vm == a.target_name;
  bool vm_thread = std::find(vms_.begin(), vms_.end(), name) != vms_.end();
  return a.target_name == name || (!vm_thread && a.target_name == "System VM");
}

int Model::pending_for(std::size_t t) const {
  int n = 0;
  for (const auto& [key, index] : open_arrows_) {
    const Arrow& a = arrows[index];
    if (a.end != ArrowEnd::pending || a.event <= 0) continue;
    if (aimed_at(a, t)) ++n;
  }
  return n;
}

void Model::refresh(std::size_t t) {
  Track& k = tracks_[t];
  State s;
  std::string detail;
  if (k.finished && !k.running) {
    if (k.open) {
      if (k.since.step < now_.step) intervals.push_back({t, k.state, k.since, now_, k.detail});
      k.open = false;
    }
    return;
  }
  if (k.running) {
    if (k.hw) {
      s = State::hw_int;
    } else if (k.in_callback) {
      s = State::callback;
      if (!exact) detail = "its return is estimated: no record marks it";
    } else if (k.servicing) {
      s = State::servicing;
      detail = k.block_what;
    } else if (k.nest > 0) {
      s = State::nested;
      detail = "depth " + std::to_string(k.nest);
    } else {
      s = State::running;
    }
  } else if (k.suspended) {
    s = State::suspended;
    detail = k.blocked ? k.block_what : "";
  } else if (k.blocked) {
    s = k.svc_flags && pending_for(t) > 0 ? State::svc_waiting : State::blocked;
    detail = k.block_what;
  } else {
    s = State::ready;
  }
  if (k.open && k.state == s && k.detail == detail) return;
  if (k.open && k.since.step < now_.step) intervals.push_back({t, k.state, k.since, now_, k.detail});
  if (!k.open || k.since.step < now_.step) k.since = now_;
  k.open = true;
  k.state = s;
  k.detail = std::move(detail);
}

void Model::refresh_blocked() {
  for (std::size_t t = 0; t < tracks_.size(); ++t)
    if (tracks_[t].blocked) refresh(t);
}

void Model::set_priority(std::size_t t, std::int64_t p, const std::string& why) {
  Track& k = tracks_[t];
  if (k.prio_known && k.prio == p) return;
  k.prio_known = true;
  k.prio = p;
  if (!priority.empty() && priority.back().thread == t && priority.back().at.step == now_.step) {
    priority.back().priority = p;  // the same record changed it twice: keep the last value
    return;
  }
  priority.push_back({t, now_, p, why});
}

void Model::close_crit() {
  if (crit_owner_ != kNoThread && crit_since_.step < now_.step) crit.push_back({crit_owner_, crit_since_, now_});
  crit_owner_ = kNoThread;
}

// apply_event_boost: model.md section 3: a thread event's boost is on its thread while it is
// queued, a VM event's on its VM; sign -1 takes it off when the event leaves its queue.
// (Estimated only: with annotations the "priority" records say each change exactly.)
void Model::apply_event_boost(const Arrow& a, std::int64_t sign, const std::string& why) {
  if (exact || a.boost == 0 || a.target_kind == "global" || a.target_kind.empty()) return;
  for (std::size_t t = 0; t < threads.size(); ++t) {
    if (!aimed_at(a, t) || tracks_[t].finished || !tracks_[t].prio_known || t == running_) continue;
    set_priority(t, tracks_[t].prio + sign * a.boost, why);
  }
}

Arrow* Model::open_arrow(std::int64_t key) {
  auto it = open_arrows_.find(key);
  return it == open_arrows_.end() ? nullptr : &arrows[it->second];
}

void Model::close_arrow(std::int64_t key, ArrowEnd end_kind, std::size_t at_thread) {
  auto it = open_arrows_.find(key);
  if (it == open_arrows_.end()) return;
  Arrow& a = arrows[it->second];
  a.end = end_kind;
  a.to = now_;
  a.to_thread = at_thread;
  open_arrows_.erase(it);
  if (!a.timed_out) apply_event_boost(a, -1, "event #" + std::to_string(a.event) + " left its queue");
  refresh_blocked();
}

void Model::on_event_record(const LogRecord& r, std::size_t cur) {
  const LogField* ev = field(r, "event");
  if (r.kind == "event_queued" || r.kind == "timeout_set") {
    Arrow a;
    a.from_thread = cur;
    a.from = now_;
    EventWords e = event_words(r.text);
    a.what = r.kind == "timeout_set" ? r.text : e.what.empty() ? r.text : e.what;
    if (const LogField* kind = field(r, "target_kind")) {  // the record says it exactly
      a.target_kind = kind->s;
      if (const LogField* name = field(r, "target_name")) a.target_name = name->s;
      if (const LogField* boost = field(r, "boost")) a.boost = boost->i;
      e.target = a.target_kind == "thread" ? a.target_name : "";
      e.kind = a.target_kind == "vm" ? EventWords::vm : a.target_kind == "thread" ? EventWords::thread
                                                                                 : EventWords::global;
      if (e.kind == EventWords::vm) e.target = a.target_name;
    } else if (e.kind != EventWords::none) {
      a.target_kind = e.kind == EventWords::global ? "global" : e.kind == EventWords::vm ? "vm" : "thread";
      a.target_name = e.target;
      a.boost = e.boost;
    }
    if (ev == nullptr && r.kind == "event_queued") {  // Call_When_Not_Critical / _VM_Ints_Enabled
      std::string service = r.text.substr(0, r.text.find(' '));
      open_calls_[service].push_back(arrows.size());
      arrows.push_back(a);
      return;
    }
    a.event = ev ? ev->i : number_after_hash(r.text);
    if (!e.target.empty() && index_.count(e.target)) a.to_thread = index_[e.target];
    if (e.kind == EventWords::vm && e.target != "System VM" &&
        std::find(vms_.begin(), vms_.end(), e.target) == vms_.end())
      vms_.push_back(e.target);
    open_arrows_[a.event] = arrows.size();
    arrows.push_back(a);
    apply_event_boost(arrows.back(), +1, "boost of event #" + std::to_string(a.event) + " (queued)");
    refresh_blocked();
    if (r.kind == "timeout_set") marks.push_back({cur, MarkKind::timeout_set, now_, r.text, now_});
    return;
  }
  if (r.kind == "event_run" || r.kind == "event_run_timed_out") {
    tracks_[cur].in_callback = true;
    ++tracks_[cur].callbacks;
    if (ev != nullptr) {
      if (Arrow* a = open_arrow(ev->i); a && r.kind == "event_run_timed_out") a->timed_out = true;
      close_arrow(ev->i, r.kind == "event_run_timed_out" ? ArrowEnd::timed_out : ArrowEnd::run, cur);
      return;
    }
    // DDK: on a release only the most recently installed Call_When_Not_Critical runs; the
    // Call_When_VM_Ints_Enabled callbacks run in the order they were installed.
    bool not_crit = r.text.find("Call_When_Not_Critical") != std::string::npos;
    auto& calls = open_calls_[not_crit ? "Call_When_Not_Critical" : "Call_When_VM_Ints_Enabled"];
    if (calls.empty()) return;
    std::size_t index = not_crit ? calls.back() : calls.front();
    calls.erase(not_crit ? calls.end() - 1 : calls.begin());
    arrows[index].end = ArrowEnd::run;
    arrows[index].to = now_;
    arrows[index].to_thread = cur;
    return;
  }
  if (r.kind == "event_timeout") {
    std::int64_t key = ev ? ev->i : number_after_hash(r.text);
    if (Arrow* a = open_arrow(key)) {
      a->timed_out = true;
      apply_event_boost(*a, -1, "event #" + std::to_string(key) + " timed out (boost removed)");
    }
    marks.push_back({cur, MarkKind::timeout, now_, r.text, now_});
    return;
  }
  if (r.kind == "event_cancel") close_arrow(number_after_hash(r.text), ArrowEnd::cancelled, cur);
}

void Model::on_block_record(const LogRecord& r, std::size_t cur) {
  Track& k = tracks_[cur];
  if (r.text.rfind("blocks again", 0) == 0) {  // back from servicing events, the same wait
    k.servicing = false;
    k.in_callback = false;
    return;
  }
  k.blocked = true;
  k.servicing = false;
  k.in_callback = false;
  k.callbacks = 0;
  k.block_what = r.text;
  if (const LogField* id = field(r, "id")) {
    auto lost = signals_none_.find(id->s);
    if (lost != signals_none_.end() && lost->second.from.step >= k.woken_at) {
      Arrow a = lost->second;
      a.to_thread = cur;
      a.to = now_;
      arrows.push_back(a);
    }
  }
  const LogField* flags = field(r, "flags");
  // Block_Svc_Ints 0x01, Block_Svc_If_Ints_Locked 0x02, Block_Force_Svc_Ints 0x20; the semaphore
  // and critical-section records name their flags only in the text.
  k.svc_flags = flags ? (flags->i & 0x23) != 0
                      : r.text.find("Block_Svc_") != std::string::npos ||
                            r.text.find("Block_Force_Svc_Ints") != std::string::npos;
}

void Model::on_switch(const LogRecord& r, std::size_t cur) {
  const LogField* from = field(r, "from");
  std::size_t prev = from && from->s != "-" ? thread(from->s) : running_;
  if (prev != kNoThread && prev != cur) {
    Track& p = tracks_[prev];
    p.running = false;
    p.in_callback = false;
    p.callbacks = 0;
    p.servicing = false;
    refresh(prev);
  }
  Track& k = tracks_[cur];
  k.running = true;
  k.in_callback = false;
  k.callbacks = 0;
  k.servicing = r.text.find("to service events while blocked") != std::string::npos;
  if (!k.servicing) k.blocked = false;  // it runs: whatever it waited for is satisfied
  running_ = cur;
}

// on_annotation: a record that is no line of the log (LogRecord::annotation): it takes no step
// and sits at the step of the record that follows it.
void Model::on_annotation(const LogRecord& r) {
  exact = true;
  now_ = Pos{r.t_ms, steps};
  if (r.kind == "thread") {
    const LogField* name = field(r, "name");
    const LogField* vm = field(r, "vm");
    if (name == nullptr || vm == nullptr) return;
    std::size_t t = thread(name->s);
    threads[t].vm = vm->s;
    threads[t].exact_vm = true;
    if (const LogField* base = field(r, "base"); base && !tracks_[t].prio_known)
      set_priority(t, base->i, "base priority 0x" + fmt_hex(base->i));
  } else if (r.kind == "priority") {
    const LogField* target = field(r, "target");
    const LogField* value = field(r, "value");
    if (target && value) set_priority(thread(target->s), value->i, r.text);
  } else if (r.kind == "event_done") {
    if (r.thread == "-") return;
    std::size_t t = thread(r.thread);
    Track& k = tracks_[t];
    if (k.callbacks > 0) --k.callbacks;
    k.in_callback = k.callbacks > 0;
    refresh(t);
  }
}

void Model::add(const LogRecord& r) {
  if (r.annotation) {
    on_annotation(r);
    return;
  }
  now_ = Pos{r.t_ms, steps++};
  record_t_.push_back(r.t_ms);
  if (r.thread == "-") return;  // outside the run: set-up, vm.on_exit
  if (r.kind == "create") {
    auto name_at = std::string("created thread ").size();
    std::string name = r.text.substr(name_at, r.text.rfind(" (priority") - name_at);
    std::size_t t = thread(name, false);
    tracks_[t].open = true;
    tracks_[t].since = now_;
    set_priority(t, std::max<std::int64_t>(0, hex_after(r.text, "(priority 0x")), r.text);
  }
  std::size_t cur = thread(r.thread);
  for (const LogField& f : r.fields)  // every thread the record names has its track before k is taken
    if (f.key == "from" || f.key == "target" || f.key == "owner" ||
        (f.key == "vm" && (r.kind == "suspend" || r.kind == "resume"))) {
      if (f.s != "-") thread(f.s);
    }
  for (const std::string& text : early_choices_) marks.push_back({cur, MarkKind::choice, now_, text, now_});
  early_choices_.clear();
  Track& k = tracks_[cur];
  // Estimated (no event_done records): a callback returns before its thread does anything a
  // callback cannot, and takes no time.
  if (!exact && k.in_callback &&
      (!made_inside_callback(r.kind) || (!record_t_.empty() && k.since.t_ms < r.t_ms)))
    k.in_callback = false;
  if (running_ == kNoThread) running_ = cur;
  if (cur == running_ && !k.running && r.kind != "run") k.running = true;  // held the CPU before any "run"
  std::vector<std::size_t> touched{cur};
  const LogField* target = field(r, "target");
  std::size_t target_thread = target ? thread(target->s) : kNoThread;
  const std::string& kind = r.kind;
  if (kind == "run") {
    on_switch(r, cur);
  } else if (kind == "finish") {
    k.finished = true;
    marks.push_back({cur, MarkKind::finish, now_, "finishes", now_});
  } else if (kind == "block") {
    on_block_record(r, cur);
  } else if (kind == "wake" || kind == "start") {
    k.blocked = false;
    k.woken_at = now_.step;
  } else if (kind == "wake_signal" || kind == "wake_spurious") {
    if (target_thread != kNoThread) {
      tracks_[target_thread].blocked = false;
      touched.push_back(target_thread);
      if (kind == "wake_spurious") marks.push_back({target_thread, MarkKind::spurious, now_, r.text, now_});
      Arrow a;
      a.from_thread = cur;
      a.from = now_;
      a.to_thread = target_thread;
      a.to = now_;
      a.end = ArrowEnd::wake;
      a.what = r.text;
      arrows.push_back(a);
    }
  } else if (kind == "signal") {
    marks.push_back({cur, MarkKind::signal_none, now_, r.text, now_});
    if (const LogField* id = field(r, "id")) {
      Arrow a;
      a.from_thread = cur;
      a.from = now_;
      a.end = ArrowEnd::lost;
      a.what = r.text;
      signals_none_[id->s] = a;
    }
  } else if (kind == "crit_claim") {
    if (const LogField* owner = field(r, "owner")) {
      std::size_t o = thread(owner->s);
      if (o != crit_owner_) {
        close_crit();
        crit_owner_ = o;
        crit_since_ = now_;
      }
      if (o != cur) {  // handed over at a release: the waiter wakes owning it
        tracks_[o].blocked = false;
        touched.push_back(o);
        if (std::int64_t p = hex_after(r.text, "priority now 0x"); p >= 0) set_priority(o, p, r.text);
      }
    }
  } else if (kind == "crit_release") {
    close_crit();
  } else if (kind == "nest") {
    auto at = r.text.find("(depth ");
    if (at != std::string::npos) k.nest = std::atoi(r.text.c_str() + at + 7);
  } else if (kind == "hw_int") {
    k.hw = true;
  } else if (kind == "hw_int_end") {
    k.hw = false;
  } else if (kind == "irq" || kind == "exec_int" || kind == "slice" || kind == "warning" || kind == "log" ||
             kind == "event_call") {
    static const std::map<std::string, MarkKind, std::less<>> kinds = {
        {"irq", MarkKind::irq},         {"exec_int", MarkKind::exec_int}, {"slice", MarkKind::slice},
        {"warning", MarkKind::warning}, {"log", MarkKind::log},           {"event_call", MarkKind::event_call}};
    marks.push_back({cur, kinds.find(kind)->second, now_, r.text, now_});
    if (kind == "event_call" && exact && field(r, "event") == nullptr) {  // Call_When_VM_Ints_Enabled, at once
      k.in_callback = true;
      ++k.callbacks;
    }
  } else if (kind == "suspend" || kind == "resume") {
    if (const LogField* vm = field(r, "vm")) {
      if (std::find(vms_.begin(), vms_.end(), vm->s) == vms_.end()) vms_.push_back(vm->s);
      std::size_t t = thread(vm->s);
      tracks_[t].suspended = kind == "suspend";
      touched.push_back(t);
    }
  } else if (kind == "boost" && exact) {
    // the "priority" records said what changed
  } else if (kind == "boost") {
    const LogField* delta = field(r, "delta");
    if (target_thread != kNoThread && target_thread != cur) {
      if (std::int64_t p = hex_after(r.text, "priority now 0x"); p >= 0) set_priority(target_thread, p, r.text);
    } else if (const LogField* vm = field(r, "vm"); vm && delta) {
      if (vm->s != "System VM" && std::find(vms_.begin(), vms_.end(), vm->s) == vms_.end()) vms_.push_back(vm->s);
      for (std::size_t t = 0; t < threads.size(); ++t) {
        bool vm_thread = std::find(vms_.begin(), vms_.end(), threads[t].name) != vms_.end();
        bool member = vm->s == "System VM" ? !vm_thread : threads[t].name == vm->s;
        if (member && t != cur && tracks_[t].prio_known) set_priority(t, tracks_[t].prio + delta->i, r.text);
      }
    }
  } else {
    on_event_record(r, cur);
  }
  set_priority(cur, r.priority, r.text);
  for (std::size_t t : touched) refresh(t);
}

void Model::add_choice(const std::string& text) {
  if (running_ == kNoThread) {
    early_choices_.push_back(text);
    return;
  }
  marks.push_back({running_, MarkKind::choice, now_, text, now_});
}

// attach_diagnosis: the diagnosis names what held each pending event back, on the lines indented
// under its "pending ... #N" line; a starved thread's wait is marked from "(since T ms)".
void Model::attach_diagnosis() {
  const std::string& m = end.message;
  std::int64_t current = -1;
  std::size_t indent = 0;
  for (std::size_t at = 0; at < m.size();) {
    std::size_t nl = m.find('\n', at);
    std::string line = m.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? m.size() : nl + 1;
    std::size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos) continue;
    if (line.compare(lead, 8, "pending ") == 0) {
      current = number_after_hash(line);
      indent = lead;
      continue;
    }
    if (current >= 0 && lead > indent) {
      for (Arrow& a : arrows)
        if (a.event == current && a.end == ArrowEnd::pending)
          a.held += (a.held.empty() ? "" : "\n") + line.substr(lead);
    } else {
      current = -1;
    }
  }
  if (m.rfind("starved: ", 0) == 0) {
    std::string name = m.substr(9, m.find(" (priority") - 9);
    auto since = m.find("(since ");
    if (index_.count(name) && since != std::string::npos) {
      double t = std::atof(m.c_str() + since + 7);
      auto first = std::lower_bound(record_t_.begin(), record_t_.end(), t);
      Pos from{t, static_cast<std::uint64_t>(first - record_t_.begin())};
      marks.push_back({index_[name], MarkKind::starved, from, m.substr(0, m.find('\n')), now_});
    }
  }
}

void Model::finish(const RunEnd& run_end) {
  end = run_end;
  now_ = Pos{std::max(run_end.end_ms, now_.t_ms), steps};
  for (std::size_t t = 0; t < tracks_.size(); ++t) {
    Track& k = tracks_[t];
    if (k.open && k.since.step < now_.step) intervals.push_back({t, k.state, k.since, now_, k.detail});
    k.open = false;
  }
  close_crit();
  for (auto& [key, index] : open_arrows_) {
    arrows[index].to = now_;
    arrows[index].end = ArrowEnd::pending;
  }
  for (auto& [service, calls] : open_calls_)
    for (std::size_t index : calls) arrows[index].to = now_;
  attach_diagnosis();
  if (!threads.empty() && run_end.outcome != "finished")
    marks.push_back({running_ != kNoThread ? running_ : 0, MarkKind::outcome, now_,
                     run_end.message.substr(0, run_end.message.find('\n')), now_});
  for (ThreadInfo& t : threads)
    if (!t.exact_vm) t.vm = std::find(vms_.begin(), vms_.end(), t.name) != vms_.end() ? t.name : "System VM";
}

}  // namespace vmmsim::command::timeline
