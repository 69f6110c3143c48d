// drivers_test.cpp: VxDs loaded from shared objects (src/vxd/drivers.cpp): the control messages in
// the order the VMM sends them, exported functions called from threads and interrupts, and the
// errors of a bad load.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using DriverFn = std::uint32_t (*)();

// control_messages: "thread: message" of each control message the run logged, in order.
std::vector<std::string> control_messages(const CollectingSink& sink) {
  std::vector<std::string> messages;
  for (const LogRecord& rec : sink.records)
    if (rec.kind == "vxd_control") messages.push_back(rec.thread + ": " + rec.text);
  return messages;
}

TEST(Drivers, ControlMessagesArriveInTheOrderTheVmmSendsThem) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::size_t drv = m.load_vxd(VMMSIM_PAUSE_SO);
  EXPECT_EQ(m.vxd_name(drv), "VKDPAUSE");
  auto wait = reinterpret_cast<DriverFn>(m.vxd_symbol(drv, "WaitForPause"));
  auto irq = reinterpret_cast<DriverFn>(m.vxd_symbol(drv, "OnIrq"));
  ASSERT_NE(wait, nullptr);
  ASSERT_NE(irq, nullptr);
  EXPECT_EQ(m.vxd_symbol(drv, "NoSuchFunction"), nullptr);
  m.create_vm("DOS", [] { ring3(1); }, 1);
  m.create_thread("app", [&] { EXPECT_EQ(wait(), 1u); }, 0x100);
  m.at(5, [&] { irq(); });
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::finished) << r.message;
  std::vector<std::string> messages = control_messages(sink);
  std::vector<std::string> expected = {
      "sys: Sys_Critical_Init to VKDPAUSE",
      "sys: Device_Init to VKDPAUSE",
      "sys: Init_Complete to VKDPAUSE",
      "sys: Sys_VM_Init to VKDPAUSE (VM System VM)",
      "sys: Create_VM to VKDPAUSE (VM DOS)",
      "sys: VM_Critical_Init to VKDPAUSE (VM DOS)",
      "sys: VM_Init to VKDPAUSE (VM DOS)",
      "sys: Create_Thread to VKDPAUSE (thread DOS)",
      "sys: Create_Thread to VKDPAUSE (thread app)",
  };
  ASSERT_GE(messages.size(), expected.size());
  EXPECT_EQ(std::vector<std::string>(messages.begin(), messages.begin() + expected.size()), expected);
  auto has = [&](const std::string& s) { return std::find(messages.begin(), messages.end(), s) != messages.end(); };
  EXPECT_TRUE(has("app: Thread_Init to VKDPAUSE (thread app)"));
  EXPECT_TRUE(has("app: Destroy_Thread to VKDPAUSE (thread app)"));
  EXPECT_TRUE(has("DOS: Destroy_VM to VKDPAUSE (VM DOS)"));
  EXPECT_TRUE(sink.has_kind("event_run"));
}

// Every message of a run, in order: initialisation, each VM and thread as it is created, starts
// and ends, and the end of the run after the last thread, in the VMM's shutdown order.
TEST(Drivers, EveryControlMessageArrivesInTheVmmsOrderThroughSystemExit) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.load_vxd(VMMSIM_PAUSE_SO);
  m.create_vm("DOS", [] { ring3(1); }, 1);
  m.create_thread("app", [] { ring3(2); }, 2);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::finished) << r.message;
  std::vector<std::string> messages = control_messages(sink);
  std::vector<std::string> expected = {
      "sys: Sys_Critical_Init to VKDPAUSE",
      "sys: Device_Init to VKDPAUSE",
      "sys: Init_Complete to VKDPAUSE",
      "sys: Sys_VM_Init to VKDPAUSE (VM System VM)",
      "sys: Create_VM to VKDPAUSE (VM DOS)",
      "sys: VM_Critical_Init to VKDPAUSE (VM DOS)",
      "sys: VM_Init to VKDPAUSE (VM DOS)",
      "sys: Create_Thread to VKDPAUSE (thread DOS)",
      "sys: Create_Thread to VKDPAUSE (thread app)",
      "app: Thread_Init to VKDPAUSE (thread app)",  // app (priority 2) runs to its end first
      "app: Terminate_Thread to VKDPAUSE (thread app)",
      "app: Thread_Not_Executeable to VKDPAUSE (thread app)",
      "app: Destroy_Thread to VKDPAUSE (thread app)",
      "DOS: Thread_Init to VKDPAUSE (thread DOS)",
      "DOS: Terminate_Thread to VKDPAUSE (thread DOS)",
      "DOS: Thread_Not_Executeable to VKDPAUSE (thread DOS)",
      "DOS: Destroy_Thread to VKDPAUSE (thread DOS)",
      "DOS: VM_Terminate to VKDPAUSE (VM DOS)",  // its VM's only thread has ended
      "DOS: VM_Not_Executeable to VKDPAUSE (VM DOS)",
      "DOS: Destroy_VM to VKDPAUSE (VM DOS)",
      "sys: Sys_VM_Terminate to VKDPAUSE (VM System VM)",
      "sys: System_Exit to VKDPAUSE (VM System VM)",
      "sys: Sys_Critical_Exit to VKDPAUSE (VM System VM)",
  };
  EXPECT_EQ(messages, expected);
}

// A run that does not finish is no normal shutdown: no Sys_VM_Terminate, but System_Exit and
// Sys_Critical_Exit still come, so a driver can let go of what it holds.
TEST(Drivers, ARunThatDoesNotFinishGetsSystemExitWithoutSysVmTerminate) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.load_vxd(VMMSIM_PAUSE_SO);
  m.create_thread("app", [] { _BlockOnID(1, 0); }, 2);
  RunResult r = m.run();
  ASSERT_EQ(r.outcome, Outcome::stuck);
  std::vector<std::string> last;
  for (const LogRecord& rec : sink.records)
    if (rec.kind == "vxd_control") last.push_back(rec.text);
  ASSERT_GE(last.size(), 2u);
  EXPECT_EQ(last[last.size() - 2], "System_Exit to VKDPAUSE (VM System VM)");
  EXPECT_EQ(last.back(), "Sys_Critical_Exit to VKDPAUSE (VM System VM)");
  EXPECT_EQ(std::count(last.begin(), last.end(), "Sys_VM_Terminate to VKDPAUSE (VM System VM)"), 0);
}

TEST(Drivers, ABadLoadIsAnErrorNamingTheFileAndDriversLoadOnlyAtSetUp) {
  Machine m;
  EXPECT_TRUE(starts_with(error_of([&] { m.load_vxd("/no/such/driver.so"); }),
                          "Machine::load_vxd: cannot load /no/such/driver.so: "));
  EXPECT_EQ(error_of([&] { m.load_vxd("libm.so.6"); }),
            "Machine::load_vxd: libm.so.6 declares no driver (no VMMSIM_DECLARE_VXD(name, control_proc))");
  std::string during;
  m.create_thread("A", [&] { during = error_of([&] { m.load_vxd(VMMSIM_PAUSE_SO); }); });
  m.run();
  EXPECT_EQ(during, "Machine::load_vxd: drivers are loaded at set-up time, before the run");
}

}  // namespace
}  // namespace vmmsim::test
