#include "clock/timers.hpp"

#include "util/assert.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

Timers::~Timers() { queue_.clear(); }

void Timers::arm(Timer& t, std::int64_t due_us, std::uint64_t seq) {
  VMMSIM_VERIFY(!t.armed(), "a timer is armed twice (seq {})", t.seq);
  t.due_us = due_us;
  t.seq = seq;
  queue_.insert(t);
  if (t.one_shot) ++one_shots_;
}

void Timers::disarm(Timer& t) {
  if (!t.armed()) return;
  queue_.erase(queue_.iterator_to(t));
  if (t.one_shot) --one_shots_;
}

void Timers::due_now(std::vector<Timer*>& out) {
  out.clear();
  if (queue_.empty() || queue_.begin()->due_us > now_us_) return;
  std::int64_t due = queue_.begin()->due_us;
  for (Timer& t : queue_) {
    if (t.due_us != due) break;
    out.push_back(&t);
  }
}

InterruptSource& Timers::add_source(InterruptHandler handler, std::int64_t period_us, std::int64_t count,
                                    std::int64_t nominal_us) {
  InterruptSource& src = sources_.emplace_back();
  src.handler = std::move(handler);
  src.period_us = period_us;
  src.remaining = count;
  src.nominal_us = nominal_us;
  src.timer.kind = TimerKind::interrupt;
  src.timer.ref = sources_.size() - 1;
  src.timer.one_shot = period_us == 0;
  return src;
}

bool Timers::write_state(StateHasher& h, UserState& user) const {
  h.tag(16);
  h.i64(now_us_);
  h.u64(seq_);
  for (const Timer& t : queue_) {
    h.i64(t.due_us);
    h.u64(t.seq);
    h.u64(static_cast<std::uint64_t>(t.kind));
    h.u64(t.ref);
  }
  for (const InterruptSource& src : sources_) {
    h.tag(17);
    h.i64(src.period_us);
    h.i64(src.remaining);
    h.u64(src.timer.seq);
    h.i64(src.nominal_us);
    if (!user.handler(src.handler, h)) return false;
  }
  return true;
}

}  // namespace vmmsim::detail
