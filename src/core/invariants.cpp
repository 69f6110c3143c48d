// invariants.cpp: the kernel's invariants, checked at every processing point (issue 11 item 5), in
// one file so that they read as one list. A violated one stops the process with its text and the
// services called last (util/assert.hpp): running on would only give a wrong answer that looks
// right.
//
// Always on (O(1), a few loads, inline in core/kernel.hpp): the current thread runs and sits in no
// queue; the critical section has an owner exactly when it has claims, and the owner has not finished.
// In debug, sanitizer and fuzz builds (VMMSIM_ASSERTIONS), the walks too:
//   - threads: no thread is both ready and blocked: each thread's state says which list holds it,
//     and the ready queue holds exactly the ready threads whose VM is schedulable (the running and
//     the idle thread excepted), in its priority order; a blocked thread has a wait;
//   - boosts: each thread's and VM's boost is the sum of what the services put there (the events
//     whose boost sits on it, the critical section, the mutexes it owns or waits for, and
//     Adjust_Exec_Priority / Adjust_Thread_Exec_Priority and the boosts PEF_Dont_Unboost left,
//     kept per thread and VM: kept_boost()), so no boost is lost or counted twice;
//   - events: each live event is in exactly one place (its target's queue, the timed-out queue, a
//     list of execution-time time-outs, armed as a global time-out, or running its callback), each
//     queue holds only its own kind, and the places add up to the live count. An event ends once:
//     EventTable::release refuses one still queued or armed, and a stale handle names no event.
// The walks cost O(threads + events); past kWalkEveryPointUpTo of them they run at every 4096th
// processing point only, so a 100,000-thread run stays linear.
#include <fmt/format.h>

#include <unordered_map>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {
constexpr std::size_t kWalkEveryPointUpTo = 1024;
constexpr std::uint64_t kWalkPeriodWhenLarge = 4096;

}  // namespace

void Kernel::check_invariant_walks() {
  if constexpr (!kAssertions) return;
  ++invariant_points_;
  std::size_t size = threads_.size() + events_.live();
  if (size > kWalkEveryPointUpTo && invariant_points_ % kWalkPeriodWhenLarge != 0) return;
  scheduler_.check_invariants();
  events_.check_invariants();
  check_boost_ledger();
}

void Scheduler::check_invariants() const {
  std::size_t queued = 0;
  for (const auto& p : k_.threads()) {
    const Thread* t = p.get();
    bool in_ready = t->in_ready_queue();
    bool in_blocked = t->blocked_hook_.is_linked();
    switch (t->state_) {
      case ThreadState::running:
        VMMSIM_VERIFY(t == current_, "invariant: {} is running but {} holds the CPU", t->name,
                      current_ != nullptr ? current_->name : std::string("no thread"));
        VMMSIM_VERIFY(!in_ready && !in_blocked, "invariant: running thread {} is in the {} list", t->name,
                      in_ready ? "ready" : "blocked");
        break;
      case ThreadState::ready:
        VMMSIM_VERIFY(!in_blocked, "invariant: ready thread {} is in the blocked list", t->name);
        VMMSIM_VERIFY(in_ready == (schedulable(t) && !t->idle),
                      "invariant: ready thread {} is {} the ready queue, its VM {} schedulable", t->name,
                      in_ready ? "in" : "not in", schedulable(t) ? "is" : "is not");
        break;
      case ThreadState::blocked:
        VMMSIM_VERIFY(!in_ready, "invariant: blocked thread {} is in the ready queue", t->name);
        VMMSIM_VERIFY(in_blocked == schedulable(t), "invariant: blocked thread {} is {} the blocked list", t->name,
                      in_blocked ? "in" : "not in");
        VMMSIM_VERIFY(t->wait() != nullptr, "invariant: blocked thread {} waits on nothing", t->name);
        break;
      case ThreadState::finished:
        VMMSIM_VERIFY(!in_ready && !in_blocked, "invariant: finished thread {} is still in a scheduler list",
                      t->name);
        break;
    }
    queued += in_ready ? 1 : 0;
  }
  std::size_t held = sys_ready_.size() + vm_ready_.size() + (front_ != nullptr ? 1 : 0);
  VMMSIM_VERIFY(queued == held, "invariant: the ready queue holds {} threads, {} threads say they are in it",
                held, queued);
  VMMSIM_VERIFY(front_ == nullptr || (front_->ready_front_ && !front_->ready_hook_.is_linked()),
                "invariant: the ready queue's front slot holds {}, which is also in a set", front_->name);
  // The sets stay in priority order only if every boost change re-keyed its thread.
  const Thread* prev = nullptr;
  for (const Thread& t : sys_ready_) {
    VMMSIM_VERIFY(prev == nullptr || !SysReadyOrder{}(t, *prev), "invariant: System VM ready queue out of order "
                  "at {} after {}", t.name, prev->name);
    prev = &t;
  }
  prev = nullptr;
  for (const Thread& t : vm_ready_) {
    VMMSIM_VERIFY(prev == nullptr || !VmReadyOrder{}(t, *prev), "invariant: VM ready queue out of order at {} "
                  "after {}", t.name, prev->name);
    prev = &t;
  }
}

void EventQueues::check_invariants() {
  std::size_t placed = 0;
  auto each_in = [&](const EventList& list, const char* where, auto&& ok) {
    for (const Event& ev : list) {
      VMMSIM_VERIFY(ev.handle != 0, "invariant: a released event (#{}) is still in {}", ev.seq, where);
      VMMSIM_VERIFY(!ev.running, "invariant: event #{} runs its callback but is still in {}", ev.seq, where);
      VMMSIM_VERIFY(ok(ev), "invariant: event #{} is in {}, which is not its place", ev.seq, where);
      ++placed;
    }
  };
  auto any = [](const Event&) { return true; };
  each_in(global_, "the global queue", [](const Event& ev) { return ev.kind == EventTargetKind::global; });
  each_in(timed_out_, "the timed-out queue", [](const Event& ev) { return ev.timed_out; });
  for (const auto& vm : k_.vms()) {
    VM* v = vm.get();
    each_in(v->events(), "a VM's queue",
            [v](const Event& ev) { return ev.kind == EventTargetKind::vm && ev.vm == v; });
    each_in(v->exec_timeouts(), "a VM's time-outs", any);
  }
  for (const auto& t : k_.threads()) {
    Thread* th = t.get();
    each_in(th->events(), "a thread's queue",
            [th](const Event& ev) { return ev.kind == EventTargetKind::thread && ev.thread == th; });
    each_in(th->exec_timeouts(), "a thread's time-outs", any);
  }
  std::size_t unlinked = 0;
  table_.for_each_live([&](Event& ev) {
    if (ev.hook.is_linked()) return;
    // Off every list: running its callback, or a wall-clock time-out waiting in the timer queue.
    VMMSIM_VERIFY(ev.running || (ev.service == EventService::timeout && ev.timer.armed()),
                  "invariant: event #{} is live but queued nowhere, armed nowhere and not running", ev.seq);
    ++unlinked;
  });
  VMMSIM_VERIFY(placed + unlinked == table_.live(),
                "invariant: {} events are in queues and {} off them, but {} are live", placed, unlinked,
                table_.live());
}

// check_boost_ledger: every boost is where one service put it (see the top of the file).
void Kernel::check_boost_ledger() {
  std::unordered_map<const Thread*, Priority> on_thread;
  std::unordered_map<const VM*, Priority> on_vm;
  events_.for_each_live([&](const Event& ev) {
    if (ev.boost_site == BoostSite::thread) on_thread[ev.boost_thread] += ev.boost;
    if (ev.boost_site == BoostSite::vm) on_vm[ev.vm] += ev.boost;
  });
  if (crit_.owner() != nullptr) on_thread[crit_.owner()] += Critical_Section_Boost;
  for (std::size_t m = 1; m <= mutexes_.size(); ++m) {
    const Mutex& mx = mutexes_.get(static_cast<MUTEXHANDLE>(m));
    if (mx.owner != nullptr) on_thread[mx.owner] += mx.boost;
    for (const Wait& w : mx.waiters) on_thread[w.thread] += mx.boost / 2;
  }
  for (const auto& t : threads_) {
    Priority expected = t->kept_boost() + on_thread[t.get()];
    VMMSIM_VERIFY(t->boost() == expected,
                  "invariant: {} holds boosts of 0x{:X}, but the services put 0x{:X} there (0x{:X} by "
                  "Adjust_Thread_Exec_Priority or left by PEF_Dont_Unboost)", t->name, t->boost(), expected, t->kept_boost());
  }
  for (const auto& vm : vms_) {
    Priority expected = vm->kept_boost() + on_vm[vm.get()];
    VMMSIM_VERIFY(vm->boost() == expected,
                  "invariant: VM {} holds boosts of 0x{:X}, but the services put 0x{:X} there (0x{:X} by "
                  "Adjust_Exec_Priority or left by PEF_Dont_Unboost)", vm->name, vm->boost(), expected, vm->kept_boost());
  }
}

}  // namespace vmmsim::detail
