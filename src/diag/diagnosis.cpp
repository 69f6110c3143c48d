// diagnosis.cpp: the stuck / starved account (model.md section 6), read-only over the subsystems.
#include "diag/diagnosis.hpp"

#include <fmt/format.h>

#include <functional>
#include <vector>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
std::string ms(std::int64_t us) { return fmt::format("{:.3f} ms", us / 1000.0); }
constexpr std::size_t kMaxThreadsPerEvent = 6;  // keep a diagnosis readable with many threads
}

std::string Diagnosis::render(Outcome outcome) { return outcome == Outcome::stuck ? stuck() : starved(); }

std::string Diagnosis::describe_running(const Thread& t) {
  std::string s = fmt::format("{} (priority 0x{:X})", t.name, Scheduler::priority(&t));
  switch (t.executing) {
    case Executing::nested:
      s += fmt::format(" is in a Resume_Exec loop: nested execution depth {}; a thread in nested execution is "
                       "never rotated away for an equal priority, only preempted by a strictly higher one "
                       "(DDK \"Event Processing\")", t.nest_depth);
      break;
    case Executing::hw_int: s += " is running a simulated hardware interrupt (hw_int)"; break;
    case Executing::ring3: s += " is running ring-3 code"; break;
    case Executing::nothing: s += " holds the CPU"; break;
  }
  if (k_.crit().owner() == &t) s += "; it owns the critical section";
  return s;
}

std::string Diagnosis::describe_wait(const Thread& t) {
  const Wait* w = t.wait();
  if (w == nullptr) return "not waiting";
  std::string flags = w->flags ? block_names(w->flags) : "no Block_* flags: services no events";
  std::string s;
  switch (w->kind) {
    case WaitKind::block_id:
      s = fmt::format("blocked on _BlockOnID {} since {} ({})", k_.block_ids().name_of(w->id), ms(w->since_us), flags);
      if (w->lost_wakeup)
        s += fmt::format("\n      lost wake-up: {} was signalled at {}, waking no one, after {}'s previous "
                         "wake-up and before it blocked; _SignalID remembers nothing (DDK \"_BlockOnID\")",
                         k_.block_ids().name_of(w->id), ms(w->lost_signal_us), t.name);
      break;
    case WaitKind::semaphore:
      s = fmt::format("blocked on Wait_Semaphore #{} (count {}) since {} ({})", w->object,
                      k_.semaphores().get(w->object).count, ms(w->since_us), flags);
      break;
    case WaitKind::critical_section:
      s = fmt::format("blocked in Begin_Critical_Section since {} ({}); owner: {}", ms(w->since_us), flags,
                      k_.crit().owner() ? k_.crit().owner()->name : std::string("none"));
      break;
    case WaitKind::mutex: {
      const Thread* owner = k_.mutexes().get(w->object).owner;
      s = fmt::format("blocked in _EnterMutex #{} since {} ({}); owner: {}", w->object, ms(w->since_us), flags,
                      owner ? owner->name : std::string("none"));
      break;
    }
  }
  return s;
}

std::string Diagnosis::threads_section(const Thread* skip) {
  std::string out;
  for (const auto& tp : k_.threads()) {
    const Thread& t = *tp;
    if (&t == skip || t.idle || t.finished()) continue;
    std::string line = fmt::format("  {} (priority 0x{:X}): ", t.name, Scheduler::priority(&t));
    if (t.vm->suspended()) line += fmt::format("its VM {} is suspended (Suspend_VM); ", t.vm->name);
    if (t.vm->idle()) line += fmt::format("its VM {} is idle (Release_Time_Slice) until Wake_Up_VM; ", t.vm->name);
    if (t.state() == ThreadState::blocked) line += describe_wait(t);
    else if (t.state() == ThreadState::ready) line += "ready, waiting for the CPU";
    else line += describe_running(t);
    out += line + "\n";
  }
  if (const Thread* owner = k_.crit().owner())
    out += fmt::format("  critical section: owned by {} ({} claim{})\n", owner->name, k_.crit().claims(),
                       k_.crit().claims() == 1 ? "" : "s");
  return out;
}

// why_event_waits: for each thread that could run ev, the conditions that fail.
std::string Diagnosis::why_event_waits(const Event& ev) {
  std::string out;
  // seed 001: a boost >= Critical_Section_Boost with PEF_Wait_Not_Crit "will prevent the event from
  // ever satisfying its own restrictions".
  if (const PriorityCeiling* c = k_.events().never_satisfiable(ev)) {
    if (ev.boost >= c->limit)
      out += fmt::format("      can never satisfy its own restriction: {} with boost 0x{:X} >= {} ({})\n",
                         c->flag_name, ev.boost, c->limit_name, c->source);
    else
      out += fmt::format("      can never run: its target's base priority and pending boosts add up to 0x{:X} "
                         ">= {}, which {} forbids ({})\n", k_.events().pending_floor(ev), c->limit_name,
                         c->flag_name, c->source);
  }
  std::vector<const Thread*> candidates;
  if (ev.kind == EventTargetKind::thread) {
    candidates.push_back(ev.thread);
  } else {
    for (const auto& tp : k_.threads())
      if ((ev.kind == EventTargetKind::global || tp->vm == ev.vm) && !tp->finished())
        candidates.push_back(tp.get());
  }
  if (candidates.empty() || (ev.kind == EventTargetKind::thread && ev.thread->finished())) {
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
    if (t->vm->suspended()) reasons.push_back(fmt::format("VM {} is suspended", t->vm->name));
    if (t->state() == ThreadState::blocked) {
      j = k_.scheduler().blocked_judge(th);
      Flags f = t->wait()->flags;
      if (j.ring0_only && !(ev.flags & PEF_Ring0_Event))
        reasons.push_back(fmt::format("{} is blocked without Block_Svc_Ints, so it services no events",
                                      t->name));
      if (k_.crit().owner() && k_.crit().owner() != t && !(f & Block_Force_Svc_Ints))
        reasons.push_back(fmt::format("{} is blocked and the critical section is owned by {}; a blocked thread "
                                      "services events only while the section is free or its own",
                                      t->name, k_.crit().owner()->name));
    }
    Flags fail = failing_restrictions(k_, ev, j);
    for (Flags bit = 1; bit != 0 && bit <= fail; bit <<= 1)
      if (fail & bit) reasons.push_back(explain_restriction(k_, bit, ev, j));
    if (t->idle && reasons.empty()) continue;
    if (reasons.empty())
      reasons.push_back(fmt::format("its restrictions hold for {}, but the scheduler does not run {} "
                                    "(DDK \"Event Processing\": event processing is secondary to the scheduler)",
                                    t->name, t->name));
    for (const auto& r : reasons) out += fmt::format("      on {}: {}\n", t->name, r);
  }
  return out;
}

std::string Diagnosis::events_section() {
  std::string out;
  auto list = [&](const EventList& events) {
    for (const Event& ev : events) {
      out += fmt::format("  pending {} (queued at {})\n", k_.events().describe(ev), ms(ev.queued_at_us));
      out += why_event_waits(ev);
    }
  };
  list(k_.events().global());
  for (const auto& vm : k_.vms()) list(vm->events());
  for (const auto& t : k_.threads()) list(t->events());
  for (const auto& call : k_.events().when_not_critical()) {
    std::int64_t released = k_.events().last_crit_release_us();
    out += released >= call.installed_us
               ? fmt::format("  Call_When_Not_Critical callback installed at {} has not run: the critical section "
                             "was released at {}, but each release runs only the most recently installed "
                             "callback (DDK \"Call_When_Not_Critical\"), and it was not released again\n",
                             ms(call.installed_us), ms(released))
               : fmt::format("  Call_When_Not_Critical callback installed at {} has not run: the critical section "
                             "has not been released since\n", ms(call.installed_us));
  }
  // Time-outs counting a VM's or a thread's execution time come due only while it runs.
  auto exec_timeouts = [&](const EventList& pending, const std::string& target, std::int64_t ran, bool finished,
                           bool suspended) {
    for (const Event& ev : pending)
      out += fmt::format("  pending {} #{} for {} ({} of its execution left, set at {}): {}\n",
                         time_out_service(ev.clock), ev.seq, target, ms(ev.deadline_us - ran), ms(ev.queued_at_us),
                         finished    ? "it has finished, so its execution time no longer advances"
                         : suspended ? "it is suspended, so its execution time does not advance"
                                     : "it does not get the CPU, so its execution time does not advance");
  };
  for (const auto& vm : k_.vms())
    exec_timeouts(vm->exec_timeouts(), "VM " + vm->name, vm->exec_us(),
                  !vm->system && vm->thread->finished(), vm->suspended());
  for (const auto& t : k_.threads()) exec_timeouts(t->exec_timeouts(), t->name, t->exec_us(), t->finished(), false);
  for (const auto& call : k_.events().when_ints_enabled())
    out += fmt::format("  Call_When_VM_Ints_Enabled callback installed at {} for VM {} has not run: its "
                       "interrupts stay disabled\n", ms(call.installed_us), call.vm->name);
  return out;
}

namespace {
// Holding: what a blocked thread waits for, and who holds it.
struct Holding {
  std::string object;
  std::vector<const Thread*> holders;
};
}  // namespace

// deadlock_cycle: issue #10: a cycle of threads each waiting for what the next holds, across
// mutexes, the critical section and semaphores with known holders (threads that took a token and
// have not signalled), in plain words; "" when there is none.
std::string Diagnosis::deadlock_cycle() {
  auto waits_for = [&](const Thread& t) {
    Holding h;
    const Wait* w = t.wait();
    if (t.state() != ThreadState::blocked || w == nullptr) return h;
    switch (w->kind) {
      case WaitKind::mutex:
        h.object = fmt::format("mutex #{}", w->object);
        if (const Thread* o = k_.mutexes().get(w->object).owner) h.holders.push_back(o);
        break;
      case WaitKind::critical_section:
        h.object = "the critical section";
        if (const Thread* o = k_.crit().owner()) h.holders.push_back(o);
        break;
      case WaitKind::semaphore:
        h.object = fmt::format("semaphore #{}", w->object);
        h.holders = k_.semaphores().get(w->object).takers;
        break;
      case WaitKind::block_id: break;
    }
    return h;
  };
  // Depth-first from each thread in creation order; the first cycle found is told.
  std::vector<const Thread*> path;
  std::vector<std::string> objects;
  std::string told;
  std::function<bool(const Thread*)> visit = [&](const Thread* t) -> bool {
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path[i] != t) continue;
      std::vector<std::string> parts;
      for (std::size_t j = i; j < path.size(); ++j) {
        const std::string& held = objects[j == i ? path.size() - 1 : j - 1];
        parts.push_back(fmt::format("{} holds {} and waits for {}", path[j]->name, held, objects[j]));
      }
      told = "  deadlock: ";
      for (std::size_t j = 0; j < parts.size(); ++j) told += (j ? "; " : "") + parts[j];
      told += "\n";
      return true;
    }
    if (path.size() > k_.threads().size()) return false;
    Holding h = waits_for(*t);
    if (h.holders.empty()) return false;
    path.push_back(t);
    objects.push_back(h.object);
    for (const Thread* next : h.holders)
      if (next != t && visit(next)) return true;
    path.pop_back();
    objects.pop_back();
    return false;
  };
  for (const auto& tp : k_.threads())
    if (!tp->finished() && visit(tp.get())) return told;
  return "";
}

std::string Diagnosis::stuck() {
  std::string out = fmt::format(
      "stuck: at {} no thread can run and nothing due in time can change that, while work remains\n",
      ms(k_.now_us()));
  out += deadlock_cycle();
  out += threads_section(nullptr);
  out += events_section();
  return out;
}

std::string Diagnosis::starved() {
  Thread* victim = nullptr;
  k_.scheduler().best_eligible();  // brings waiting_since of blocked threads up to date
  std::int64_t deadline = k_.scheduler().starvation_deadline(&victim);
  std::string out;
  const Thread* cpu = k_.current();
  if (victim == nullptr) return "starved: a thread waited longer than starve_ms\n";
  std::int64_t starve_us = k_.scheduler().starve_us();
  std::int64_t since = deadline - starve_us;
  out = fmt::format("starved: {} (priority 0x{:X}) waited more than {} for the CPU (since {}) while {} held it\n",
                    victim->name, Scheduler::priority(victim), ms(starve_us), ms(since), cpu->name);
  out += "  " + describe_running(*cpu) + "\n";
  std::string why;
  if (victim->state() == ThreadState::blocked)
    why = fmt::format("{} is blocked servicing events and has events it could process: {}", victim->name,
                      describe_wait(*victim));
  else
    why = fmt::format("{} is ready", victim->name);
  out += "  " + why + "\n";
  Priority pv = Scheduler::priority(victim), pc = Scheduler::priority(cpu);
  if (pv < pc)
    out += fmt::format("  {} runs only when no thread of higher priority can (0x{:X} < 0x{:X})\n", victim->name,
                       pv, pc);
  else if (pv == pc && cpu->nest_depth > 0)
    out += fmt::format("  equal priorities: {} would need a strictly higher priority to preempt {} in nested "
                       "execution (DDK \"Event Processing\": the Resume_Exec deadlock)\n", victim->name, cpu->name);
  out += events_section();
  return out;
}

}  // namespace vmmsim::detail
