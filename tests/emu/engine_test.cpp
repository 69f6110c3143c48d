// engine_test.cpp: the test image run under Unicorn inside a run (src/emu/engine.*, conventions.*,
// emulated_vxd.*): plain calls, INT 20h services with the DDK's registers, a blocking service in the
// middle of emulation on two threads, an event callback entered with the DDK's registers, the control
// procedure's carry, and the run-ending errors (an unknown service, a fault, a bad handle).
#include "emu/emulated_vxd.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "image_files.hpp"
#include "test_support.hpp"
#include "vmmsim/machine.hpp"
#include "vmmsim/services.hpp"
#include "vxd/service_table.hpp"

namespace vmmsim::emu {
namespace {

using vmmsim::test::CollectingSink;

std::uint32_t read_global(EmulatedVxd& v, const char* name, int index = 0) {
  std::uint32_t value = 0;
  EXPECT_TRUE(v.memory().read32(*v.image().find(name) + 4 * static_cast<std::uint32_t>(index), value));
  return value;
}

bool logged(const CollectingSink& sink, const std::string& text) {
  return std::any_of(sink.records.begin(), sink.records.end(),
                     [&](const LogRecord& r) { return r.text.find(text) != std::string::npos; });
}

class EngineForm : public ::testing::TestWithParam<const char*> {
 protected:
  EmulatedVxd vxd{test::image_path(GetParam())};
};

TEST_P(EngineForm, CallsAFunctionWithCArguments) {
  Machine m;
  std::uint32_t sum = 0, bumped = 0;
  m.create_thread("t", [&] {
    std::uint32_t args[] = {1, 20, 300};
    sum = vxd.call("add3", args);
    bumped = vxd.call("bump", {});
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(sum, 321u);
  EXPECT_EQ(bumped, 41u);  // through the relocated pointer to counter (40)
}

TEST_P(EngineForm, AnswersRegisterServicesWithHandlesTheDriverCanGiveBack) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::uint32_t vm = 0, sys = 0, thread = 0, again = 0;
  m.create_thread("t", [&] {
    vm = vxd.call("current_vm", {});
    std::uint32_t a[] = {vm};
    sys = vxd.call("is_sys_vm", a);
    thread = vxd.call("current_thread", {});
    again = vxd.call("current_thread", {});
    std::uint32_t one[] = {1};
    vxd.call("greet", one);
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_GE(vm, HandleMap::kBase);  // a 32-bit handle, not a host pointer
  EXPECT_EQ(sys, 1u);               // Test_Sys_VM_Handle's zero flag
  EXPECT_NE(thread, vm);
  EXPECT_EQ(thread, again);  // the same thread, the same handle
  EXPECT_TRUE(logged(sink, "again"));  // vmmsim_log read the string from the image's data
}

TEST_P(EngineForm, ABlockingServiceSwitchesThreadsInTheMiddleOfEmulation) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::uint32_t woke = 0;
  m.create_thread("waiter", [&] {
    std::uint32_t id[] = {0x1234};
    woke = vxd.call("block", id);  // _BlockOnID: this fiber leaves inside the INT 20h hook
    log("waiter back");
  }, 0x100);
  m.create_thread("signaller", [&] {
    log("signaller runs");
    std::uint32_t id[] = {0x1234};
    vxd.call("signal", id);
  }, 0x80);
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(woke, 1u);
  EXPECT_TRUE(logged(sink, "_SignalID 0x1234 wakes waiter"));
  EXPECT_GE(vxd.engine_count(), 2u);  // one per thread: the waiter's stayed inside its call
}

TEST_P(EngineForm, SemaphoreHandlesRoundTrip) {
  Machine m;
  std::uint32_t sem = 0;
  m.create_thread("t", [&] { sem = vxd.call("semaphore_round", {}); });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_GE(sem, HandleMap::kBase);
}

TEST_P(EngineForm, EntersAnEventCallbackWithTheDdkRegisters) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::uint32_t vm = 0, thread = 0, handle = 0;
  m.create_thread("t", [&] {
    vm = vxd.call("current_vm", {});
    thread = vxd.call("current_thread", {});
    std::uint32_t a[] = {vm, 77, PEF_Always_Sched, 0xdead};  // EDI is no time-out without PEF_Time_Out
    handle = vxd.call("post_event", a);  // PEF_Always_Sched: queued, runs at the next point
    Release_Time_Slice();
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_GE(handle, HandleMap::kBase);
  EXPECT_TRUE(logged(sink, "event runs"));
  EXPECT_FALSE(logged(sink, "warning"));  // no "time-out without PEF_Time_Out" from EDI's 0xdead
  EXPECT_EQ(read_global(vxd, "last_event", 0), 0u);  // carry clear: not timed out
  EXPECT_EQ(read_global(vxd, "last_event", 1), vm);  // EBX
  EXPECT_EQ(read_global(vxd, "last_event", 3), 77u);  // EDX
  std::uint32_t crs = read_global(vxd, "last_event", 4);  // EBP: the client registers, in memory
  std::uint32_t eflags = 1;
  EXPECT_TRUE(vxd.memory().read32(crs + 0x2C, eflags));
  EXPECT_EQ(eflags & 1, 0u);
}

TEST_P(EngineForm, ATimedOutEventCallbackSeesTheCarry) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("holder", [&] {
    Begin_Critical_Section(0);
    std::uint32_t vm = vxd.call("current_vm", {});
    // PEF_Wait_Not_Crit cannot hold while this thread owns the critical section: the 2 ms time-out
    // expires first and the callback runs with the carry set (DDK "Call_Priority_VM_Event").
    std::uint32_t a[] = {vm, 5, PEF_Wait_Not_Crit | PEF_Time_Out, 2};
    vxd.call("post_event", a);
    ring3(5);
    End_Critical_Section();
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_TRUE(logged(sink, "event timed out"));
  EXPECT_EQ(read_global(vxd, "last_event", 0), 1u);
  EXPECT_EQ(read_global(vxd, "last_event", 3), 5u);
  std::uint32_t eflags = 0;
  EXPECT_TRUE(vxd.memory().read32(read_global(vxd, "last_event", 4) + 0x2C, eflags));
  EXPECT_EQ(eflags & 1, 1u);  // and Client_EFlags' carry, as the C interface gives it
}

TEST_P(EngineForm, TheControlProcedureGetsTheMessageAndItsCarryComesBack) {
  Machine m;
  bool failed_ok = true, failed_bad = false;
  m.create_thread("t", [&] {
    failed_ok = vxd.control(0x0001, Get_Cur_VM_Handle(), nullptr).failed;
    failed_bad = vxd.control(0x7F, Get_Cur_VM_Handle(), Get_Cur_Thread_Handle()).failed;
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_FALSE(failed_ok);
  EXPECT_TRUE(failed_bad);
  EXPECT_EQ(read_global(vxd, "message_count"), 2u);
  EXPECT_EQ(read_global(vxd, "messages", 0), 0x0001u);
  EXPECT_EQ(read_global(vxd, "messages", 1), 0x7Fu);
}

RunResult run_one(EmulatedVxd& vxd, const char* fname, std::vector<std::uint32_t> args = {}) {
  Machine m;
  m.create_thread("t", [&] {
    vxd.call(fname, args);
    log("never");
  });
  return m.run();
}

TEST_P(EngineForm, AnUnknownServiceEndsTheRunNamingDeviceServiceAndAddress) {
  RunResult r = run_one(vxd, "unknown_service");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(vmmsim::test::starts_with(r.message, "EMUTEST stopped in drv.call(\"unknown_service\"): INT 20h at 0x"))
      << r.message;
  EXPECT_TRUE(vmmsim::test::contains(r.message, " (unknown_service")) << r.message;
  EXPECT_TRUE(vmmsim::test::contains(r.message, "calls device 0x0001 service 0x0999, which vmmsim does not implement"))
      << r.message;
}

TEST_P(EngineForm, AFaultEndsTheRunWithTheAddressAndTheSymbol) {
  RunResult r = run_one(vxd, "null_read");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(vmmsim::test::starts_with(r.message, "EMUTEST crashed in drv.call(\"null_read\"): read of unmapped address "
                                           "0x00000010 at 0x"))
      << r.message;
  EXPECT_TRUE(vmmsim::test::contains(r.message, " in null_read")) << r.message;
  RunResult d = run_one(vxd, "divide", {1, 0});
  EXPECT_TRUE(vmmsim::test::contains(d.message, "CPU exception 0 (#DE divide error) at 0x")) << d.message;
  EXPECT_TRUE(vmmsim::test::contains(d.message, " in divide")) << d.message;
  RunResult i = run_one(vxd, "dos_call");
  EXPECT_TRUE(vmmsim::test::contains(i.message, "EMUTEST crashed in drv.call(\"dos_call\"): INT 21h at 0x")) << i.message;
  EXPECT_TRUE(vmmsim::test::contains(i.message, ": the VMM is called with INT 20h only in dos_call")) << i.message;
}

TEST_P(EngineForm, TheJumpFormReturnsToTheCallersCaller) {
  Machine m;
  std::uint32_t t = 0;
  m.create_thread("t", [&] {
    ring3(7);
    t = vxd.call("jump_time", {});  // the ud2 after the INT 20h never runs
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  EXPECT_EQ(t, 7u);
}

TEST_P(EngineForm, ACallbackThatClobbersEbpIsADriverBug) {
  Machine m;
  m.create_thread("t", [&] {
    std::uint32_t vm[] = {vxd.call("current_vm", {})};
    vxd.call("post_bad_event", vm);
    Release_Time_Slice();
    log("never");
  });
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(vmmsim::test::contains(r.message, "EMUTEST broke the VMM's calling convention in its Call_Priority_VM_Event "
                                                "callback at 0x"))
      << r.message;
  EXPECT_TRUE(vmmsim::test::contains(r.message, "(bad_callback): the code at 0x")) << r.message;
  EXPECT_TRUE(vmmsim::test::contains(r.message, "returned with EBP changed (0x00000000, was 0x0")) << r.message;
}

TEST_P(EngineForm, EntriesRunWithTheVmmsFlatSelectors) {
  Machine m;
  std::uint32_t seg = 0;
  m.create_thread("t", [&] { seg = vxd.call("segments", {}); });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  EXPECT_EQ(seg, std::uint32_t{kFlatData} << 16 | kFlatData);
}

// A callback that returns with a segment register changed, DF set or IF clear is a driver bug
// (emu/return_checks.hpp), each reported as such.
TEST_P(EngineForm, ACallbackThatBreaksTheRestOfTheConventionIsADriverBug) {
  const char* expected[] = {
      "(bad_es_callback): the code at 0x",
      "(bad_df_callback): the code at 0x",
      "(bad_if_callback): the code at 0x",
  };
  const char* broke[] = {
      "returned with ES changed (0x0000, was the flat selector 0x0030)",
      "returned with the direction flag set (DF)",
      "returned with interrupts disabled (IF clear)",
  };
  for (std::uint32_t which = 0; which < 3; ++which) {
    Machine m;
    m.create_thread("t", [&] {
      std::uint32_t args[] = {vxd.call("current_vm", {}), which};
      vxd.call("post_bad_return", args);
      Release_Time_Slice();
      log("never");
    });
    RunResult r = m.run();
    EXPECT_EQ(r.outcome, Outcome::error);
    EXPECT_TRUE(vmmsim::test::contains(r.message, "EMUTEST broke the VMM's calling convention in its "
                                                  "Call_Priority_VM_Event callback at 0x"))
        << r.message;
    EXPECT_TRUE(vmmsim::test::contains(r.message, expected[which])) << r.message;
    EXPECT_TRUE(vmmsim::test::contains(r.message, broke[which])) << r.message;
  }
}

TEST_P(EngineForm, AHandleTheDriverMadeUpIsAServiceError) {
  RunResult r = run_one(vxd, "is_sys_vm", {0x1234});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(vmmsim::test::contains(r.message, "Test_Sys_VM_Handle: 0x00001234 is not a VM handle vmmsim gave the driver"))
      << r.message;
}

TEST_P(EngineForm, AMissingFunctionIsAServiceError) {
  RunResult r = run_one(vxd, "no_such_function");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(vmmsim::test::contains(r.message, "the driver exports no function 'no_such_function'")) << r.message;
}

INSTANTIATE_TEST_SUITE_P(Engine, EngineForm, ::testing::Values("emu_pic", "emu_nopic", "emu_exec"));

TEST(EngineConventions, EveryServiceOfTheTableHasARegisterConvention) {
  for (const vxd::ServiceEntry& e : vxd::services()) EXPECT_NE(convention(e.name), nullptr) << e.name;
  EXPECT_EQ(convention("Test_Cur_VM_Handle"), nullptr);
}

TEST(EngineHandles, ValuesAreGivenInOrderAndCheckedByKind) {
  HandleMap h;
  std::uint32_t a = h.guest(HandleKind::vm, 0x5000), b = h.guest(HandleKind::thread, 0x5000);
  EXPECT_EQ(a, HandleMap::kBase);
  EXPECT_EQ(b, HandleMap::kBase + HandleMap::kStride);
  EXPECT_EQ(h.guest(HandleKind::vm, 0x5000), a);
  EXPECT_EQ(h.guest(HandleKind::vm, 0), 0u);
  std::uint64_t host = 1;
  std::string why;
  EXPECT_TRUE(h.host(HandleKind::vm, a, host, why));
  EXPECT_EQ(host, 0x5000u);
  EXPECT_FALSE(h.host(HandleKind::vm, b, host, why));
  EXPECT_EQ(why, "0xc1000010 is a thread handle, not a VM handle");
  EXPECT_FALSE(h.host(HandleKind::mutex, a + 4, host, why));
  EXPECT_EQ(why, "0xc1000004 is not a mutex handle vmmsim gave the driver");
}

}  // namespace
}  // namespace vmmsim::emu
