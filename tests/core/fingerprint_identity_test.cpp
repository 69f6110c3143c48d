// fingerprint_identity_test.cpp: fingerprints by identity (Chooser::matches_by_identity, used by
// explore --prove; src/core/fingerprint.cpp says what is left out and why). States that differ only
// in an order the model never reads deterministically match; states that differ in an order it
// does read stay apart, by identity or not; without by identity (--reduce) every order counts.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/binding.hpp"
#include "described_state.hpp"
#include "test_support.hpp"

namespace vmmsim::test {
namespace {

// Scripted: takes the given options at the first thread-tie points (0 after them) and keeps the
// fingerprint of the last tie point that has one.
struct Scripted : Chooser {
  Scripted(std::vector<std::size_t> script, bool identity) : picks(std::move(script)), by_identity(identity) {}
  std::vector<std::size_t> picks;
  bool by_identity;
  std::size_t ties = 0;
  std::optional<Fingerprint> last;
  bool wants_states() const override { return true; }
  bool matches_by_identity() const override { return by_identity; }
  std::size_t choose(const ChoicePoint& p) override {
    if (p.kind != ChoiceKind::thread_tie) return 0;
    if (p.state != nullptr) last = *p.state;
    std::size_t i = ties++;
    return i < picks.size() ? picks[i] : 0;
  }
};

// last_tie_state: runs the threads `make` creates under a Scripted chooser; the fingerprint of the
// last tie point.
Fingerprint last_tie_state(const std::function<void(Machine&)>& make, std::vector<std::size_t> picks,
                           bool by_identity) {
  Machine m;
  Scripted chooser(std::move(picks), by_identity);
  Described user;
  m.set_chooser(&chooser);
  binding::set_user_state(m, &user);
  make(m);
  m.run();
  EXPECT_TRUE(chooser.last.has_value()) << "no fingerprinted tie point";
  return chooser.last.value_or(Fingerprint{});
}

// A and B block on IDs of their own, in the order the first two ties pick; then S and T tie. The
// two orders leave A and B with swapped tie keys and the blocked list in swapped order: nothing
// else differs.
void two_blockers(Machine& m) {
  m.create_thread("A", [] { _BlockOnID(10, 0); }, 1);
  m.create_thread("B", [] { _BlockOnID(11, 0); }, 1);
  m.create_thread("S", [] { _SignalID(10); _SignalID(11); }, 1);
  m.create_thread("T", [] {}, 1);
}

TEST(FingerprintByIdentity, TieOrderAndBlockedOrderAreLeftOut) {
  // Option 0 at the first tie is A (creation order), then B; option 1 is B, then A (option 0 of
  // A, S, T).
  const std::vector<std::size_t> a_first{0, 0}, b_first{1, 0};
  EXPECT_EQ(last_tie_state(two_blockers, a_first, true), last_tie_state(two_blockers, b_first, true))
      << "by identity, states that differ only in tie order and blocked-list order must match";
  // --reduce counts non-default choices, and the tie order says which option is the default.
  EXPECT_NE(last_tie_state(two_blockers, a_first, false), last_tie_state(two_blockers, b_first, false))
      << "without by identity the tie order must stay in the fingerprint";
}

// S signals an ID no one waits on, or not, before T and U tie. The unheard signal would only mark a
// later _BlockOnID on it as a lost wake-up, which only a stuck run's diagnosis reads.
std::function<void(Machine&)> unheard(bool signal) {
  return [signal](Machine& m) {
    m.create_thread("S", [signal] { if (signal) _SignalID(7); }, 9);
    m.create_thread("T", [] {}, 1);
    m.create_thread("U", [] {}, 1);
  };
}

TEST(FingerprintByIdentity, AnUnheardSignalIsLeftOut) {
  EXPECT_EQ(last_tie_state(unheard(true), {}, true), last_tie_state(unheard(false), {}, true))
      << "by identity, an unheard signal decides no outcome and must not split states";
  EXPECT_NE(last_tie_state(unheard(true), {}, false), last_tie_state(unheard(false), {}, false))
      << "without by identity the unheard signal must stay in the fingerprint";
}

// The waiting list is read at its front (the starvation deadline). X blocks servicing events and
// has a thread event C queued, so while C (priority 9) runs X is eligible and waiting since 0;
// Y blocks plainly. At 5 ms C signals both IDs, in the given order: X keeps its waiting_since of 0
// and Y's is 5, so the waiting list is [X(0), Y(5)] or [Y(5), X(0)], and which of them is first
// decides when a starvation deadline falls.
std::function<void(Machine&)> woken_in_order(bool x_first) {
  return [x_first](Machine& m) {
    auto x = std::make_shared<THREADHANDLE>();
    m.create_thread("C", [x_first, x] {
      _BlockOnID(98, 0);  // X and Y block first
      Schedule_Thread_Event(*x, [](const EventContext&) {}, 0);
      ring3(5);
      if (x_first) {
        _SignalID(10);
        _SignalID(11);
      } else {
        _SignalID(11);
        _SignalID(10);
      }
    }, 9);
    *x = m.create_thread("X", [] { _BlockOnID(10, Block_Svc_Ints); }, 1);
    m.create_thread("Y", [] { _SignalID(98); _BlockOnID(11, 0); }, 1);
  };
}

TEST(FingerprintByIdentity, WaitingOrderThatDecidesTheDeadlineStaysIn) {
  EXPECT_NE(last_tie_state(woken_in_order(true), {}, true), last_tie_state(woken_in_order(false), {}, true))
      << "by identity, waiting lists whose fronts have different waiting_since must stay apart";
  EXPECT_EQ(last_tie_state(woken_in_order(true), {}, true), last_tie_state(woken_in_order(true), {}, true));
}

}  // namespace
}  // namespace vmmsim::test
