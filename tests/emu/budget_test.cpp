// budget_test.cpp: the budget on emulated code (emu/engine.hpp Budget, EmulatedVxd::set_limits):
// a loop that never calls the VMM ends the run as a runaway (time_limit) naming the driver, the
// entry, the address and the limit; every service starts the count again; the interrupt flag
// (Ctrl-C) stops emulated code that calls nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "core/binding.hpp"
#include "emu/emulated_vxd.hpp"
#include "image_files.hpp"
#include "test_support.hpp"
#include "vmmsim/machine.hpp"
#include "vmmsim/services.hpp"

namespace vmmsim::emu {
namespace {

using vmmsim::test::contains;

RunResult run_call(EmulatedVxd& vxd, const char* fname, std::vector<std::uint32_t> args, bool* returned) {
  Machine m;
  m.create_thread("t", [&] {
    vxd.call(fname, args);
    *returned = true;
  });
  return m.run();
}

TEST(EngineBudget, ALoopThatNeverCallsTheVmmIsARunaway) {
  EmulatedVxd vxd(test::image_path("emu_pic"));
  vxd.set_limits(1000, nullptr);
  bool returned = false;
  RunResult r = run_call(vxd, "spin_forever", {}, &returned);
  EXPECT_FALSE(returned);
  EXPECT_EQ(r.outcome, Outcome::time_limit) << r.message;
  EXPECT_TRUE(contains(r.message, "runaway: EMUTEST ran more than 1000 blocks of i386 code without calling a VMM "
                                  "service, in drv.call(\"spin_forever\") at 0x"))
      << r.message;
  EXPECT_TRUE(contains(r.message, "(spin_forever")) << r.message;
  EXPECT_TRUE(contains(r.message, "(--max-steps 1000; is it a loop that never ends? 0 turns the limit off)")) << r.message;
}

TEST(EngineBudget, EveryServiceStartsTheCountAgain) {
  // 5000 turns of a loop calling Get_System_Time: five times the limit in all, a few blocks between
  // two services.
  EmulatedVxd vxd(test::image_path("emu_pic"));
  vxd.set_limits(1000, nullptr);
  bool returned = false;
  RunResult r = run_call(vxd, "spin_services", {5000}, &returned);
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(returned);
}

TEST(EngineBudget, TheSameLoopWithoutALimitRunsOn) {
  // Without a limit the budget installs no hook: a long loop without services returns.
  EmulatedVxd vxd(test::image_path("emu_pic"));
  bool returned = false;
  RunResult r = run_call(vxd, "spin_services", {5000}, &returned);
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(returned);
}

TEST(EngineBudget, TheInterruptFlagStopsEmulatedCode) {
  EmulatedVxd vxd(test::image_path("emu_pic"));
  std::atomic<bool> interrupt{true};
  vxd.set_limits(0, &interrupt);
  bool returned = false;
  RunResult r = run_call(vxd, "spin_forever", {}, &returned);
  EXPECT_FALSE(returned);
  EXPECT_EQ(r.outcome, Outcome::error) << r.message;
  EXPECT_TRUE(contains(r.message, "interrupted while EMUTEST ran i386 code in drv.call(\"spin_forever\") at 0x"))
      << r.message;
}

TEST(EngineBudget, ARunawayInTheControlProcedureEndsTheRunAsTimeLimit) {
  // Device_Init of spin_init.elf loops: the run ends before any thread runs, naming the message.
  install_emulated_loader();
  Machine m;
  std::size_t d = m.load_vxd(test::image_path("spin_init"));
  binding::emulated_vxd(m, d)->set_limits(2000, nullptr);
  bool ran = false;
  m.create_thread("t", [&] { ran = true; });
  RunResult r = m.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(r.outcome, Outcome::time_limit) << r.message;
  EXPECT_TRUE(contains(r.message, "runaway: SPININIT ran more than 2000 blocks")) << r.message;
  EXPECT_TRUE(contains(r.message, "in its control procedure (message 0x1) at 0x")) << r.message;
  EXPECT_TRUE(contains(r.message, "(its Device_Init control message)")) << r.message;
}

TEST(EngineBudget, NewLimitsApplyToTheNextEntry) {
  // The engines of the first run had no budget; the limit set afterwards holds for the next run.
  EmulatedVxd vxd(test::image_path("emu_pic"));
  bool returned = false;
  EXPECT_EQ(run_call(vxd, "add3", {1, 2, 3}, &returned).outcome, Outcome::finished);
  vxd.set_limits(1000, nullptr);
  returned = false;
  RunResult r = run_call(vxd, "spin_forever", {}, &returned);
  EXPECT_FALSE(returned);
  EXPECT_EQ(r.outcome, Outcome::time_limit) << r.message;
}

}  // namespace
}  // namespace vmmsim::emu
