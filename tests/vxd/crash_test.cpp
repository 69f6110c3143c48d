// crash_test.cpp: a crash in driver code (SIGSEGV) ends the run with an error naming the driver and
// the control message or the service whose callback it was in, and the log so far is kept
// (src/vxd/crash_guard.cpp). A crash in drv.call is tests/cli/vxd/crash_in_call.lua.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "vmmsim/vxd.h"

namespace vmmsim::test {
namespace {

using CrashAt = std::uint32_t (*)(std::uint32_t);
using DriverFn = std::uint32_t (*)();

bool logged(const CollectingSink& sink, const std::string& text) {
  return std::any_of(sink.records.begin(), sink.records.end(),
                     [&](const LogRecord& r) { return r.text.find(text) != std::string::npos; });
}

TEST(VxdCrash, ADriverCrashInAControlMessageEndsTheRunNamingTheDriverAndTheMessage) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "CrashAt"))(::Thread_Init);
  m.create_thread("early", [] { log("early runs"); }, 0x200);
  m.create_thread("app", [] { log("never"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, "CRASHER crashed in its Thread_Init control message: SIGSEGV (address 0x0)");
  EXPECT_EQ(r.error_context, "on thread early");
  EXPECT_TRUE(logged(sink, "Device_Init to CRASHER"));  // the log so far is kept
  EXPECT_TRUE(logged(sink, "Thread_Init to CRASHER (thread early)"));
  EXPECT_FALSE(logged(sink, "early runs"));  // it crashed before the body
  EXPECT_FALSE(logged(sink, "never"));
}

TEST(VxdCrash, ACrashInAnEventCallbackNamesTheServiceThatScheduledIt) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
  auto crash_in_event = reinterpret_cast<DriverFn>(m.vxd_symbol(drv, "CrashInEvent"));
  m.create_thread("app", [&] { crash_in_event(); }, 0x100);
  m.create_thread("other", [] { ring3(5); log("other goes on"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, "CRASHER crashed in its Call_Priority_VM_Event callback: SIGSEGV (address 0x0)");
  EXPECT_TRUE(logged(sink, "CRASHER: the event runs"));
  EXPECT_FALSE(logged(sink, "other goes on"));
}

// After the last thread: the run's outcome becomes the error, the run's log is kept.
TEST(VxdCrash, ACrashInSystemExitMakesAFinishedRunAnError) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "CrashAt"))(::System_Exit);
  m.create_thread("app", [] { log("app ran"); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, "CRASHER crashed in its System_Exit control message: SIGSEGV (address 0x0)");
  EXPECT_EQ(r.error_context, "after the last thread");
  EXPECT_TRUE(logged(sink, "app ran"));
  EXPECT_TRUE(logged(sink, "Sys_VM_Terminate to CRASHER"));
  EXPECT_FALSE(logged(sink, "Sys_Critical_Exit to CRASHER"));  // a driver that crashed gets no more
}

TEST(VxdCrash, AServiceCalledAtSystemExitStopsTheControlProcedureWithAnError) {
  Machine m;
  std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "CrashAt"))(0xFFFFFFFFu);
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "SignalAt"))(::System_Exit);
  m.create_thread("app", [] {}, 0x100);
  RunResult r = m.run();
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "SignalAt"))(0xFFFFFFFFu);
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "CRASHER was stopped in its System_Exit control message: _SignalID called after the last thread "
            "ended: no VMM service runs at the end-of-run control messages");
}

// The process survives a crash: the next machine loads the same driver and runs to the end.
TEST(VxdCrash, AMachineAfterACrashRunsNormally) {
  {
    Machine m;
    std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
    reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "CrashAt"))(::Device_Init);
    m.create_thread("app", [] {}, 0x100);
    EXPECT_EQ(m.run().message, "CRASHER crashed in its Device_Init control message: SIGSEGV (address 0x0)");
  }
  Machine m;
  std::size_t drv = m.load_vxd(VMMSIM_CRASH_SO);
  reinterpret_cast<CrashAt>(m.vxd_symbol(drv, "CrashAt"))(0xFFFFFFFFu);
  m.create_thread("app", [] { ring3(1); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
}

}  // namespace
}  // namespace vmmsim::test
