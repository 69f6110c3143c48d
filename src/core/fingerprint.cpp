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
//
// By identity (Chooser::matches_by_identity, explore --prove), orders that only ever decide which
// option comes first at a later choice point are left out: two states that differ only there have
// the same futures up to renumbering the options, and a search that takes every option of every
// choice point finds the same outcomes from either. Left out, and why each is such an order:
//   * the tie keys (least recently run first). While a chooser is active every tie among eligible
//     threads of the top priority is a thread_tie choice point of all of them
//     (Scheduler::choose_among_ties); --freedom settings add event, timer, jitter and spurious
//     choices but none turns ties back into a fixed order. Elsewhere only the priority of the best
//     eligible thread is read (processing points, slices, Release_Time_Slice, the idle loop), and a
//     tie key compares only threads of equal priority. So the tie order only numbers the options.
//   * the options' order at this point (Kernel::choose writes them as a set), for the same reason;
//   * the order of the blocked list and of equal-since runs of the waiting list
//     (Scheduler::write_state says why).
// Left in order: event queues and the event-handle allocator (handles are values the scenario
// sees, and not every read of a queue's order has been shown to be a choice), and, because the
// model reads them by position, block-ID, semaphore and mutex waiters (a _SignalID wakes its waiters in order, and a waiter
// that was eligible keeps its older waiting_since into the waiting list, which the starvation
// deadline reads from its front; semaphores and mutexes hand off FIFO among equal waiters).
// Wake-up steps, unheard signals and the lost wake-up mark are left out too: they only explain a
// stuck run in its diagnosis (BlockIds::write_state). A failure --prove reports is replayed, so its
// diagnosis is that of its own path; only which of two equivalent failing paths is reported first
// can differ, and a diagnosis, like a thread's name, is no part of a verdict.
#include <vector>

#include "core/kernel.hpp"
#include "core/ranks.hpp"

namespace vmmsim::detail {

// clean_site: whether every thread's C++ continuation is one fingerprint() can describe, as it is at
// a thread_tie choice point reached from a processing point at the start of ring3 / hw_int /
// Resume_Exec (executing nothing), from a top-level block (Waits::block, not inside a callback),
// from a thread finishing, or from the idle loop.
bool Kernel::clean_site() const {
  if (ending_ || interrupt_depth_ > 0) return false;
  for (const auto& vm : vms_)
    if (vm->suspended() || vm->idle()) return false;  // their switch sites are not described
  for (const auto& tp : threads_) {
    const Thread& t = *tp;
    if (t.killed || t.yielding) return false;
    if (!t.started || t.finished()) continue;
    if (t.callback_depth != 0 || t.ring0_depth != 0 || t.executing != Executing::nothing || t.servicing ||
        t.forced_crit)
      return false;
    if (t.wait() != nullptr && t.wait()->outer != nullptr) return false;
  }
  return true;
}

bool Kernel::fingerprint(StateHasher& h) {
  if (user_ == nullptr || !clean_site()) return false;
  bool ok = user_->begin(h) && write_state(h);
  return user_->end(h) && ok;  // end is owed to every begin
}

// write_state: the kernel's own part, then each subsystem's (each writes what it owns).
bool Kernel::write_state(StateHasher& h) {
  UserState& user = *user_;
  Ranks ties, steps;
  for (const auto& tp : threads_) {
    ties.add(tp->tie_key());
    steps.add(tp->last_wake_step());
  }
  ids_.add_ranks(steps);
  steps.add(waits_.step());
  ties.done();
  steps.done();

  h.tag(1);
  h.i64(max_time_us_);
  h.i64(unfinished_);
  if (!by_identity_) h.u64(steps.of(waits_.step()));  // by identity: BlockIds::write_state
  livelock_.write_state(h);
  scheduler_.write_state(h, by_identity_);

  // VMs, in creation order.
  for (const auto& vm : vms_) {
    h.tag(7);
    h.u64(vm->id);
    h.i64(vm->boost());
    h.i64(vm->suspend_count());
    h.u64(vm->v86_ints_locked | (vm->idle() ? 2u : 0u));
    h.i64(vm->threads_if_clear());
    h.i64(vm->live_threads());
    if (!vm->exec_timeouts().empty()) h.i64(vm->exec_us());  // only matters to its time-outs
    if (!EventQueues::write_events(h, user, vm->events()) || !EventQueues::write_events(h, user, vm->exec_timeouts()))
      return false;
  }

  // Threads, in creation order.
  for (const auto& tp : threads_) {
    const Thread& t = *tp;
    h.tag(8);
    h.u64(t.id);
    h.u64(t.vm->id);
    h.i64(t.base);
    h.i64(t.boost());
    h.u64(static_cast<std::uint64_t>(t.state()));
    h.u64((t.if_flag() ? 1u : 0u) | (t.pm ? 2u : 0u) | (t.started ? 4u : 0u) | (t.in_ready_queue() ? 8u : 0u));
    h.i64(t.nest_depth);
    h.i64(t.hw_depth);
    if (!by_identity_) h.u64(ties.of(t.tie_key()));
    h.i64(t.slice_used_us());
    h.i64(t.waiting_since());
    if (!by_identity_) h.u64(steps.of(t.last_wake_step()));
    h.i64(t.spurious_at_us());
    if (!t.exec_timeouts().empty()) h.i64(t.exec_us());
    if (!EventQueues::write_events(h, user, t.events()) || !EventQueues::write_events(h, user, t.exec_timeouts()))
      return false;
    if (const Wait* w = t.wait()) {
      h.tag(9);
      h.u64(static_cast<std::uint64_t>(w->kind));
      h.u64(w->flags);
      if (w->kind == WaitKind::block_id && !user.block_id(w->id, h)) return false;
      h.u64(w->object);
      // By identity the lost wake-up mark is left out: only a stuck run's diagnosis reads it
      // (BlockIds::write_state says why).
      h.u64((w->satisfied ? 1u : 0u) | (w->lost_wakeup && !by_identity_ ? 2u : 0u) |
            (w->result == BlockResult::spurious ? 4u : 0u));
      h.i64(w->since_us);
      if (!by_identity_) h.i64(w->lost_signal_us);
    }
    h.tag(10);
    if (t.idle || t.finished()) continue;
    if (!(t.started ? user.thread(const_cast<Thread*>(&t), h) : user.body(t.body, h))) return false;
  }

  if (!events_.write_state(h, user) || !timers_.write_state(h, user) || !ids_.write_state(h, user, steps, by_identity_))
    return false;
  sems_.write_state(h);
  mutexes_.write_state(h);
  crit_.write_state(h);
  drivers_.write_state(h);  // the state drivers named with VMMSIM_VXD_STATE
  return true;
}

}  // namespace vmmsim::detail
