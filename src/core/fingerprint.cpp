// fingerprint.cpp: the state of a run at a choice point, as one 128-bit fingerprint (model.md
// section 7, "Pruning"), for the explorer's state matching.
//
// Sound means: two runs with the same fingerprint at a choice point go on identically from there for
// every choice that follows. So everything the future of a run can depend on is written, and where
// part of the state cannot be written exactly, the state is not fingerprinted at all:
//   * a thread's future also lives in the C++ frames of its fiber (locals of run_timed, of a callback
//     being run, of a nested wait). Those are only described for the suspension sites listed in
//     clean_site(); anywhere else there is no fingerprint;
//   * the scenario's own state (Lua values, where each Lua thread is) comes from UserState.
// Values that only ever matter through comparisons with newer values of the same counter (tie keys,
// wake-up steps) are written as their rank, so that runs differing only in how many switches or
// wake-ups happened before still match. Everything else is written as it is.
#include <algorithm>
#include <map>
#include <vector>

#include "core/kernel.hpp"

namespace vmmsim::detail {

namespace {

// Ranks: the rank of each value among all values of one counter (equal values, equal ranks).
class Ranks {
 public:
  void add(std::uint64_t v) { values_.push_back(v); }
  void done() {
    std::sort(values_.begin(), values_.end());
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
  }
  std::uint64_t of(std::uint64_t v) const {
    return static_cast<std::uint64_t>(std::lower_bound(values_.begin(), values_.end(), v) - values_.begin());
  }

 private:
  std::vector<std::uint64_t> values_;
};

std::uint64_t thread_ref(const Thread* t) { return t == nullptr ? ~0ULL : t->id; }

}  // namespace

// clean_site: whether every thread's C++ continuation is one fingerprint() can describe, as it is at
// a thread_tie choice point reached from a processing point at the start of ring3 / hw_int /
// Resume_Exec (executing == 0), from a top-level block (block_current, not inside a callback), from
// a thread finishing, or from the idle loop.
bool Kernel::clean_site() const {
  if (ending_ || interrupt_depth_ > 0) return false;
  for (const auto& vm : vms_)
    if (vm->suspend_count != 0) return false;  // Suspend_VM's own switch sites are not described
  for (const auto& tp : threads_) {
    const Thread& t = *tp;
    if (t.killed) return false;
    if (!t.started || t.state == ThreadState::finished) continue;
    if (t.callback_depth != 0 || t.ring0_depth != 0 || t.executing != 0 || t.servicing || t.forced_crit)
      return false;
    if (t.wait != nullptr && t.wait->outer != nullptr) return false;
  }
  return true;
}

bool Kernel::fingerprint(StateHasher& h) {
  if (user_ == nullptr || !clean_site()) return false;
  bool ok = user_->begin(h) && write_state(h);
  return user_->end(h) && ok;  // end is owed to every begin
}

bool Kernel::write_state(StateHasher& h) {

  Ranks ties, steps;
  for (const auto& tp : threads_) {
    ties.add(tp->tie_key);
    steps.add(tp->last_wake_step);
  }
  ids_.for_each([&](BlockIdState& s) { steps.add(s.unheard_step); });
  steps.add(step_);
  ties.done();
  steps.done();

  // The clock, the configuration and the zero-time livelock counters.
  h.tag(1);
  for (std::int64_t v : {now_us_, time_slice_us_, starve_us_, max_time_us_, idle_since_us_, instant_us_,
                         callbacks_this_instant_, points_this_instant_, events_pending_, timed_pending_,
                         unfinished_, static_cast<std::int64_t>(max_sys_base_)})
    h.i64(v);
  h.u64(steps.of(step_));
  h.u64(event_seq_);
  h.u64(timer_seq_);
  h.u64((log_muted_ ? 1u : 0u) | (when_not_critical_armed_ ? 2u : 0u) | (blocked_waiting_ ? 4u : 0u));
  h.u64(thread_ref(current_));

  auto write_event = [&](const Event& ev) {
    h.tag(2);
    h.u64(ev.handle);
    h.u64(static_cast<std::uint64_t>(ev.service) | static_cast<std::uint64_t>(ev.kind) << 8 |
          static_cast<std::uint64_t>(ev.boost_site) << 16);
    h.u64(ev.vm != nullptr ? ev.vm->id : ~0ULL);
    h.u64(thread_ref(ev.thread));
    h.u64(ev.flags);
    h.i64(ev.boost);
    h.u64(ev.refdata);
    h.i64(ev.queued_at_us);
    h.i64(ev.deadline_us);
    h.u64(ev.seq);
    h.u64((ev.timed_out ? 1u : 0u) | (ev.running ? 2u : 0u) | (ev.warned_never_runnable ? 4u : 0u) |
          (ev.immediate ? 8u : 0u));
    return user_->callback(ev.callback, h);
  };
  auto write_events = [&](const EventList& list) {
    h.tag(3);
    for (const Event& ev : list)
      if (!write_event(ev)) return false;
    h.tag(4);
    return true;
  };
  auto write_waiters = [&](const WaitQueue& q) {
    h.tag(5);
    for (const Wait& w : q) h.u64(thread_ref(w.thread));
    h.tag(6);
  };

  // VMs, in creation order.
  for (const auto& vm : vms_) {
    h.tag(7);
    h.u64(vm->id);
    h.i64(vm->boost);
    h.i64(vm->suspend_count);
    h.u64(vm->v86_ints_locked);
    h.i64(vm->threads_if_clear);
    h.i64(vm->live_threads);
    if (!write_events(vm->events)) return false;
  }

  // Threads, in creation order; then the order of the lists the scheduler keeps.
  for (const auto& tp : threads_) {
    const Thread& t = *tp;
    h.tag(8);
    h.u64(t.id);
    h.u64(t.vm->id);
    h.i64(t.base);
    h.i64(t.boost);
    h.u64(static_cast<std::uint64_t>(t.state));
    h.u64((t.if_flag ? 1u : 0u) | (t.pm ? 2u : 0u) | (t.started ? 4u : 0u) | (t.ready_hook.is_linked() ? 8u : 0u));
    h.i64(t.nest_depth);
    h.i64(t.hw_depth);
    h.u64(ties.of(t.tie_key));
    h.i64(t.slice_used_us);
    h.i64(t.waiting_since);
    h.u64(steps.of(t.last_wake_step));
    h.i64(t.spurious_at_us);
    if (!write_events(t.events)) return false;
    if (const Wait* w = t.wait) {
      h.tag(9);
      h.u64(static_cast<std::uint64_t>(w->kind));
      h.u64(w->flags);
      if (w->kind == WaitKind::block_id && !user_->block_id(w->id, h)) return false;
      h.u64(w->sem);
      h.u64((w->satisfied ? 1u : 0u) | (w->lost_wakeup ? 2u : 0u));
      h.i64(w->since_us);
      h.i64(w->lost_signal_us);
    }
    h.tag(10);
    if (t.idle || t.state == ThreadState::finished) continue;
    if (!(t.started ? user_->thread(const_cast<Thread*>(&t), h) : user_->body(t.body, h))) return false;
  }
  h.tag(11);
  for (const Thread& t : waiting_) h.u64(t.id);
  h.tag(12);
  for (const Thread& t : blocked_) h.u64(t.id);

  // Events with no target thread or VM, and the handle allocator (it decides future handles).
  if (!write_events(global_events_) || !write_events(timed_out_)) return false;
  h.tag(13);
  for (std::uint32_t slot : free_slots_) h.u64(slot);
  h.tag(14);
  for (std::uint32_t gen : slot_gen_) h.u64(gen);
  for (const auto* calls : {&when_not_critical_, &when_ints_enabled_}) {
    h.tag(15);
    for (const PendingCall& call : *calls) {
      h.u64(call.refdata);
      h.u64(call.vm != nullptr ? call.vm->id : ~0ULL);
      h.i64(call.installed_us);
      if (!user_->callback(call.callback, h)) return false;
    }
  }

  // Timers, as the ordered multiset they are (the heap's layout is not part of the state).
  h.tag(16);
  {
    TimerQueue copy = timers_;
    while (!copy.empty()) {
      const TimerItem& item = copy.top();
      h.i64(item.due_us);
      h.u64(item.seq);
      h.u64(static_cast<std::uint64_t>(item.kind));
      h.u64(item.ref);
      copy.pop();
    }
  }
  for (const InterruptSource& src : interrupts_) {
    h.tag(17);
    h.i64(src.period_us);
    h.i64(src.remaining);
    h.u64(src.seq);
    h.i64(src.nominal_us);
    if (!user_->handler(src.handler, h)) return false;
  }

  // Block IDs in use, sorted by how the scenario names them (not by first use); semaphores; the
  // critical section.
  h.tag(18);
  {
    std::vector<std::pair<Fingerprint, const BlockIdState*>> used;
    bool ok = true;
    ids_.for_each_with_id([&](BlockId id, BlockIdState& s) {
      if (!ok || (s.waiters.empty() && s.unheard_step == 0)) return;
      StateHasher name;
      if (!user_->block_id(id, name)) {
        ok = false;
        return;
      }
      used.push_back({name.digest(), &s});
    });
    if (!ok) return false;
    std::sort(used.begin(), used.end(), [](const auto& a, const auto& b) {
      return a.first.high != b.first.high ? a.first.high < b.first.high : a.first.low < b.first.low;
    });
    for (const auto& [name, s] : used) {
      h.u64(name.low);
      h.u64(name.high);
      h.u64(steps.of(s->unheard_step));
      h.i64(s->unheard_us);
      write_waiters(s->waiters);
    }
  }
  for (const auto& sem : semaphores_) {
    h.tag(19);
    h.i64(sem->count);
    write_waiters(sem->waiters);
  }
  h.tag(20);
  h.u64(thread_ref(crit_.owner));
  h.i64(crit_.claims);
  write_waiters(crit_.waiters);
  return true;
}

}  // namespace vmmsim::detail
