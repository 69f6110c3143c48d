#include "diag/diagnosis.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
std::string ms(std::int64_t us) { return fmt::format("{:.3f} ms", us / 1000.0); }
constexpr std::size_t kMaxThreadsPerEvent = 6;  // keep a diagnosis readable with many threads
}

std::string Diagnosis::render(Outcome outcome) { return outcome == Outcome::stuck ? stuck() : starved(); }

std::string Diagnosis::describe_running(const Thread& t) {
  std::string s = fmt::format("{} (priority 0x{:X})", t.name, Kernel::priority(&t));
  switch (t.executing) {
    case 3:
      s += fmt::format(" is in a Resume_Exec loop: nested execution depth {}; a thread in nested execution is "
                       "never rotated away for an equal priority, only preempted by a strictly higher one "
                       "(seed 000)", t.nest_depth);
      break;
    case 2: s += " is running a simulated hardware interrupt (hw_int)"; break;
    case 1: s += " is running ring-3 code"; break;
    default: s += " holds the CPU"; break;
  }
  if (k_.crit_.owner == &t) s += "; it owns the critical section";
  return s;
}

std::string Diagnosis::describe_wait(const Thread& t) {
  const Wait* w = t.wait;
  if (w == nullptr) return "not waiting";
  std::string flags = w->flags ? block_names(w->flags) : "no Block_* flags: services no events";
  std::string s;
  switch (w->kind) {
    case WaitKind::block_id:
      s = fmt::format("blocked on _BlockOnID {} since {} ({})", k_.block_id_name(w->id), ms(w->since_us), flags);
      if (w->lost_wakeup)
        s += fmt::format("\n      lost wake-up: {} was signalled at {}, waking no one, after {}'s previous "
                         "wake-up and before it blocked; _SignalID remembers nothing (seed 002)",
                         k_.block_id_name(w->id), ms(w->lost_signal_us), t.name);
      break;
    case WaitKind::semaphore:
      s = fmt::format("blocked on Wait_Semaphore #{} (count {}) since {} ({})", w->sem,
                      k_.semaphores_[w->sem - 1]->count, ms(w->since_us), flags);
      break;
    case WaitKind::critical_section:
      s = fmt::format("blocked in Begin_Critical_Section since {} ({}); owner: {}", ms(w->since_us), flags,
                      k_.crit_.owner ? k_.crit_.owner->name : std::string("none"));
      break;
  }
  return s;
}

std::string Diagnosis::threads_section(const Thread* skip) {
  std::string out;
  for (const auto& tp : k_.threads_) {
    const Thread& t = *tp;
    if (&t == skip || t.idle || t.state == ThreadState::finished) continue;
    std::string line = fmt::format("  {} (priority 0x{:X}): ", t.name, Kernel::priority(&t));
    if (t.vm->suspend_count > 0) line += fmt::format("its VM {} is suspended (Suspend_VM); ", t.vm->name);
    if (t.state == ThreadState::blocked) line += describe_wait(t);
    else if (t.state == ThreadState::ready) line += "ready, waiting for the CPU";
    else line += describe_running(t);
    out += line + "\n";
  }
  if (k_.crit_.owner)
    out += fmt::format("  critical section: owned by {} ({} claim{})\n", k_.crit_.owner->name, k_.crit_.claims,
                       k_.crit_.claims == 1 ? "" : "s");
  return out;
}

// why_event_waits: for each thread that could run ev, the conditions that fail.
std::string Diagnosis::why_event_waits(const Event& ev) {
  std::string out;
  // seed 001: a boost >= Critical_Section_Boost with PEF_Wait_Not_Crit "will prevent the event from
  // ever satisfying its own restrictions".
  if ((ev.flags & PEF_Wait_Not_Crit) && ev.kind != EventTargetKind::global) {
    if (ev.boost >= Critical_Section_Boost)
      out += fmt::format("      can never satisfy its own restriction: PEF_Wait_Not_Crit with boost 0x{:X} >= "
                         "Critical_Section_Boost (seed 001)\n", ev.boost);
    else if (Priority floor = k_.pending_floor(ev); floor >= Critical_Section_Boost)
      out += fmt::format("      can never run: its target's base priority and pending boosts add up to 0x{:X} "
                         ">= Critical_Section_Boost, which PEF_Wait_Not_Crit forbids (seed 001)\n", floor);
  }
  std::vector<const Thread*> candidates;
  if (ev.kind == EventTargetKind::thread) {
    candidates.push_back(ev.thread);
  } else {
    for (const auto& tp : k_.threads_)
      if ((ev.kind == EventTargetKind::global || tp->vm == ev.vm) && tp->state != ThreadState::finished)
        candidates.push_back(tp.get());
  }
  if (candidates.empty() || (ev.kind == EventTargetKind::thread && ev.thread->state == ThreadState::finished)) {
    out += "      target finished: no thread is left to run it\n";
    return out;
  }
  std::size_t shown = 0;
  for (const Thread* t : candidates) {
    if (shown++ == kMaxThreadsPerEvent) {
      out += fmt::format("      ... and {} more threads\n", candidates.size() - kMaxThreadsPerEvent);
      break;
    }
    Thread* th = const_cast<Thread*>(t);
    Judge j;
    j.thread = th;
    std::vector<std::string> reasons;
    if (t->vm->suspend_count > 0) reasons.push_back(fmt::format("VM {} is suspended", t->vm->name));
    if (t->state == ThreadState::blocked) {
      j = k_.blocked_judge(th);
      Flags f = t->wait->flags;
      if (j.ring0_only && !(ev.flags & PEF_Ring0_Event))
        reasons.push_back(fmt::format("{} is blocked without Block_Svc_Ints, so it services no events",
                                      t->name));
      if (k_.crit_.owner && k_.crit_.owner != t && !(f & Block_Force_Svc_Ints))
        reasons.push_back(fmt::format("{} is blocked and the critical section is owned by {}; a blocked thread "
                                      "services events only while the section is free or its own",
                                      t->name, k_.crit_.owner->name));
    }
    Flags fail = k_.failing_restrictions(ev, j);
    for (Flags bit = 1; bit != 0 && bit <= fail; bit <<= 1)
      if (fail & bit) reasons.push_back(k_.explain_restriction(bit, ev, j));
    if (t->idle && reasons.empty()) continue;
    if (reasons.empty())
      reasons.push_back(fmt::format("its restrictions hold for {}, but the scheduler does not run {} "
                                    "(seed 000: event processing is secondary to the scheduler)",
                                    t->name, t->name));
    for (const auto& r : reasons) out += fmt::format("      on {}: {}\n", t->name, r);
  }
  return out;
}

std::string Diagnosis::events_section() {
  std::string out;
  auto list = [&](const EventList& events) {
    for (const Event& ev : events) {
      out += fmt::format("  pending {} (queued at {})\n", k_.describe_event(ev), ms(ev.queued_at_us));
      out += why_event_waits(ev);
    }
  };
  list(k_.global_events_);
  for (const auto& vm : k_.vms_) list(vm->events);
  for (const auto& t : k_.threads_) list(t->events);
  for (const auto& call : k_.when_not_critical_)
    out += fmt::format("  Call_When_Not_Critical callback installed at {} has not run: the critical section "
                       "has not been released since\n", ms(call.installed_us));
  for (const auto& call : k_.when_ints_enabled_)
    out += fmt::format("  Call_When_VM_Ints_Enabled callback installed at {} for VM {} has not run: its "
                       "interrupts stay disabled\n", ms(call.installed_us), call.vm->name);
  return out;
}

std::string Diagnosis::stuck() {
  std::string out = fmt::format(
      "stuck: at {} no thread can run and nothing due in time can change that, while work remains\n",
      ms(k_.now_us_));
  out += threads_section(nullptr);
  out += events_section();
  return out;
}

std::string Diagnosis::starved() {
  Thread* victim = nullptr;
  k_.best_eligible();  // brings waiting_since of blocked threads up to date
  std::int64_t deadline = k_.starvation_deadline(&victim);
  std::string out;
  const Thread* cpu = k_.current_;
  if (victim == nullptr) return "starved: a thread waited longer than starve_ms\n";
  std::int64_t since = deadline - k_.starve_us_;
  out = fmt::format("starved: {} (priority 0x{:X}) waited more than {} for the CPU (since {}) while {} held it\n",
                    victim->name, Kernel::priority(victim), ms(k_.starve_us_), ms(since), cpu->name);
  out += "  " + describe_running(*cpu) + "\n";
  std::string why;
  if (victim->state == ThreadState::blocked)
    why = fmt::format("{} is blocked servicing events and has events it could process: {}", victim->name,
                      describe_wait(*victim));
  else
    why = fmt::format("{} is ready", victim->name);
  out += "  " + why + "\n";
  Priority pv = Kernel::priority(victim), pc = Kernel::priority(cpu);
  if (pv < pc)
    out += fmt::format("  {} runs only when no thread of higher priority can (0x{:X} < 0x{:X})\n", victim->name,
                       pv, pc);
  else if (pv == pc && cpu->nest_depth > 0)
    out += fmt::format("  equal priorities: {} would need a strictly higher priority to preempt {} in nested "
                       "execution (seed 000: the Resume_Exec deadlock)\n", victim->name, cpu->name);
  out += events_section();
  return out;
}

}  // namespace vmmsim::detail
