// mutexes.cpp: the VMM's mutexes (DDK "_CreateMutex", "_DestroyMutex", "_EnterMutex",
// "_LeaveMutex", "_GetMutexOwner").
#include "sync/mutexes.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"
#include "vmmsim/state_hash.hpp"

namespace vmmsim::detail {

namespace {
constexpr Flags kMutexFlags = MUTEX_MUST_COMPLETE | MUTEX_NO_CLEANUP_THREAD_STATE;
// DDK "_EnterMutex": Block_Poll is reserved.
constexpr Flags kEnterMutexFlags = Block_Svc_Ints | Block_Svc_If_Ints_Locked | Block_Enable_Ints |
                                   Block_Thread_Idle | Block_Force_Svc_Ints;
}  // namespace

MUTEXHANDLE Mutexes::create(Priority boost, Flags flags) {
  const char* service = "_CreateMutex";
  k_.check_setup_or_running(service);  // a VxD creates its mutexes at Device_Init
  if (boost < 0 || boost > Reserved_High_Boost)
    throw ServiceError(service, fmt::format("boost 0x{:X} is outside 0 .. Reserved_High_Boost (0x{:X})", boost,
                                            Reserved_High_Boost));
  if (flags & ~kMutexFlags)
    throw ServiceError(service, fmt::format("unknown flag bits 0x{:X} (MUTEX_MUST_COMPLETE = 1, "
                                            "MUTEX_NO_CLEANUP_THREAD_STATE = 2)", flags & ~kMutexFlags));
  auto mx = std::make_unique<Mutex>();
  mx->boost = boost;
  mx->flags = flags;
  all_.push_back(std::move(mx));
  MUTEXHANDLE h = all_.size();
  if (k_.running()) k_.emit("mutex", fmt::format("_CreateMutex #{} boost 0x{:X}", h, boost));
  return h;
}

Mutex* Mutexes::find(const char* service, MUTEXHANDLE m) {
  if (m == 0 || m > all_.size()) throw ServiceError(service, fmt::format("unknown mutex handle {}", m));
  Mutex* mx = all_[m - 1].get();
  if (mx->destroyed) throw ServiceError(service, fmt::format("mutex #{} was destroyed (_DestroyMutex)", m));
  return mx;
}

void Mutexes::destroy(MUTEXHANDLE m) {
  const char* service = "_DestroyMutex";
  k_.check_running(service);
  Mutex* mx = find(service, m);
  if (mx->owner != nullptr)
    throw ServiceError(service, fmt::format("mutex #{} is owned by {}; it must be left first", m, mx->owner->name));
  mx->destroyed = true;
  k_.emit("mutex", fmt::format("_DestroyMutex #{}", m));
}

// take: t owns mx now, with the mutex's boost (DDK "_CreateMutex": "the owner is boosted").
void Mutexes::take(Mutex& mx, MUTEXHANDLE m, Thread* t) {
  mx.owner = t;
  mx.count = 1;
  k_.scheduler().add_thread_boost(t, mx.boost);
  if (k_.logging())
    k_.emit("mutex_claim", fmt::format("{} mutex #{} (priority now 0x{:X})",
                                       t == k_.current() ? "owns" : fmt::format("hands to {}", t->name), m,
                                       Scheduler::priority(t)),
            {{"owner", LogField::Type::string, t->name}});
}

// DDK "_EnterMutex": "Unowned: the caller owns it; owned by another: block; owned by the caller:
// the entry count goes up."
void Mutexes::enter(MUTEXHANDLE m, Flags flags) {
  const char* service = "_EnterMutex";
  k_.check_thread_context(service);
  if (k_.current()->ring0_depth > 0)
    throw ServiceError(service, "a PEF_Ring0_Event callback must not take a mutex (DDK \"Call_Restricted_Event\")");
  if (flags & Block_Poll) throw ServiceError(service, "Block_Poll is reserved for this service (DDK)");
  check_block_flags(service, flags, kEnterMutexFlags);
  Mutex* mx = find(service, m);
  Thread* t = k_.current();
  if (mx->owner == nullptr) {
    take(*mx, m, t);
    return;
  }
  if (mx->owner == t) {
    ++mx->count;
    return;
  }
  k_.check_may_block(service);
  Wait w;
  w.kind = WaitKind::mutex;
  w.object = m;
  w.flags = flags;
  mx->waiters.push_back(w);
  // DDK "_CreateMutex": "a thread waiting for it gets half of Boost".
  Priority half = mx->boost / 2;
  k_.scheduler().add_thread_boost(t, half);
  k_.emit("block", fmt::format("_EnterMutex #{} waits: owned by {} {}", m, mx->owner->name,
                               flags ? block_names(flags) : "(no flags)"),
          {{"owner", LogField::Type::string, mx->owner->name}});
  BlockResult why = k_.waits().block(w);  // leave() took the half boost back as it handed over
  VMMSIM_VERIFY(why == BlockResult::signalled && mx->owner == t, "{} woke in _EnterMutex #{} without it", t->name, m);
  k_.emit("wake", fmt::format("woken: owns mutex #{}", m));
}

// DDK "_LeaveMutex": "Count > 1: decrement; count 1: unowned, and the highest-priority waiter is
// released. Only the owner may leave."
void Mutexes::leave(MUTEXHANDLE m) {
  const char* service = "_LeaveMutex";
  k_.check_running(service);
  Mutex* mx = find(service, m);
  Thread* t = k_.current();
  if (mx->owner != t)
    throw ServiceError(service, mx->owner == nullptr
                                    ? fmt::format("mutex #{} is not owned (no matching _EnterMutex)", m)
                                    : fmt::format("{} does not own mutex #{} ({} does)", t->name, m, mx->owner->name));
  if (--mx->count > 0) return;
  mx->owner = nullptr;
  k_.scheduler().add_thread_boost(t, -mx->boost);
  k_.emit("mutex_release", fmt::format("releases mutex #{}", m));
  if (Wait* w = Waits::best_waiter(mx->waiters)) {
    k_.scheduler().add_thread_boost(w->thread, -(mx->boost / 2));  // no longer a waiter
    take(*mx, m, w->thread);
    k_.waits().wake(*w, BlockResult::signalled);
  }
}

THREADHANDLE Mutexes::owner(MUTEXHANDLE m) {
  const char* service = "_GetMutexOwner";
  k_.check_running(service);
  return find(service, m)->owner;
}

MUTEXHANDLE Mutexes::owned_by(const Thread* t) const {
  for (std::size_t i = 0; i < all_.size(); ++i)
    if (all_[i]->owner == t) return i + 1;
  return 0;
}

void Mutexes::write_state(StateHasher& h) const {
  for (const auto& mx : all_) {
    h.tag(21);
    h.i64(mx->boost);
    h.u64(mx->flags);
    h.u64(mx->owner == nullptr ? ~0ULL : mx->owner->id);
    h.i64(mx->count);
    h.u64(mx->destroyed ? 1u : 0u);
    h.tag(5);
    for (const Wait& w : mx->waiters) h.u64(w.thread->id);
    h.tag(6);
  }
}

void Mutexes::teardown() {
  for (auto& mx : all_) mx->waiters.clear();
}

}  // namespace vmmsim::detail
