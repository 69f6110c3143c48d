// fingerprint_test.cpp: the state fingerprint covers every subsystem (model.md section 7, "Pruning";
// src/core/fingerprint.cpp). Each variant below changes the state of one subsystem before the same
// tie point, and its fingerprint must differ from the baseline's; a subsystem whose part were left
// out of Kernel::write_state would make its variant collide, and --reduce would prune schedules that
// differ. Histories that lead to the same state must give the same fingerprint.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/binding.hpp"
#include "described_state.hpp"
#include "test_support.hpp"

namespace vmmsim::test {
namespace {

// FirstTieState: the fingerprint of the first thread-tie choice point that has one.
struct FirstTieState : Chooser {
  std::optional<Fingerprint> state;
  bool wants_states() const override { return true; }
  std::size_t choose(const ChoicePoint& p) override {
    if (p.kind == ChoiceKind::thread_tie && p.state != nullptr && !state) state = *p.state;
    return 0;
  }
};

// state_after: C (priority 9) runs first and does `before`, then finishes or blocks on ID 99; A and
// B (priority 1) then tie. The fingerprint at that tie.
Fingerprint state_after(const std::function<void()>& before, bool c_blocks = false, Config config = {}) {
  Machine m(config);
  FirstTieState chooser;
  Described user;
  m.set_chooser(&chooser);
  binding::set_user_state(m, &user);
  m.create_thread("C", [&] {
    before();
    if (c_blocks) _BlockOnID(99, 0);
  }, 9);
  m.create_thread("A", [] {}, 1);
  m.create_thread("B", [] {}, 1);
  m.run();
  EXPECT_TRUE(chooser.state.has_value()) << "no fingerprinted tie point";
  return chooser.state.value_or(Fingerprint{});
}

struct Variant {
  const char* subsystem;
  std::function<Fingerprint()> state;
};

TEST(Fingerprint, EverySubsystemsStateIsCovered) {
  const Fingerprint base = state_after([] {});
  const Fingerprint base_blocked = state_after([] {}, true);
  auto noop = [](const EventContext&) {};
  std::vector<Variant> variants = {
      {"scheduler: settings", [] { return state_after([] {}, false, Config{5, 1000, 60000}); }},
      {"scheduler: a boost", [] { return state_after([] { Adjust_Thread_Exec_Priority(1, Get_Cur_Thread_Handle()); }); }},
      {"events: a pending VM event",
       [&] { return state_after([&] { Call_Restricted_Event(0, Get_Sys_VM_Handle(), PEF_Always_Sched | PEF_Wait_Not_Nested_Exec, 0, noop); }); }},
      {"events: the handle allocator",
       [&] { return state_after([&] { Cancel_Global_Event(Schedule_Global_Event(noop, 0)); }); }},
      {"events: a Call_When_VM_Ints_Enabled callback", [&] { return state_after([&] { cli(); Call_When_VM_Ints_Enabled(noop, 0); }); }},
      {"timers: a time-out", [&] { return state_after([&] { Set_Global_Time_Out(50, noop, 0); }); }},
      {"livelock guard: callbacks at this instant", [&] { return state_after([&] { Call_Global_Event(noop, 0); }); }},
      {"block IDs: a signal that woke no one", [] { return state_after([] { _SignalID(5); }); }},
      {"semaphores: one created", [] { return state_after([] { Create_Semaphore(1); }); }},
      {"semaphores: a known holder", [] { return state_after([] { Wait_Semaphore(Create_Semaphore(1), 0); }); }},
      {"mutexes: one created", [] { return state_after([] { _CreateMutex(0, 0); }); }},
      {"threads: the interrupt flag", [] { return state_after([] { cli(); }); }},
  };
  for (const auto& v : variants) EXPECT_NE(v.state(), base) << v.subsystem << " is not in the fingerprint";
  // Semaphore counts, and the critical section, compared with otherwise equal states.
  EXPECT_NE(state_after([] { Create_Semaphore(0); }), state_after([] { Create_Semaphore(1); }))
      << "semaphores: the count is not in the fingerprint";
  EXPECT_NE(state_after([] { Begin_Critical_Section(0); }, true), base_blocked)
      << "critical section: the owner is not in the fingerprint";
  EXPECT_NE(state_after([] { _EnterMutex(_CreateMutex(0, 0), 0); }, true), state_after([] { _CreateMutex(0, 0); }, true))
      << "mutexes: the owner is not in the fingerprint";
}

TEST(Fingerprint, HistoriesThatLeadToTheSameStateMatch) {
  // Wake-up steps are written as ranks (model.md section 7): a second unheard signal of the same ID
  // replaces the first, and leaves the same state.
  EXPECT_EQ(state_after([] { _SignalID(5); }), state_after([] { _SignalID(5); _SignalID(5); }));
  EXPECT_EQ(state_after([] {}), state_after([] {}));
}

}  // namespace
}  // namespace vmmsim::test
