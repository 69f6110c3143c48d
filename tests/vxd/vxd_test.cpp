// vxd_test.cpp: the C interface (include/vmmsim/vxd.h, src/vxd/): it compiles as C++ here and as C99
// in vxd_driver.c; driver logic through it gives the same log as the same logic through the C++ API;
// every C service is in the service table under its DDK ordinal.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "vmmsim/vxd.h"
#include "vxd/service_table.hpp"
#include "test_support.hpp"

extern "C" {
void c_set_consumer(THREADHANDLE t);
void c_producer(void);
void c_consumer(void);
void c_misuse(void);
}

namespace vmmsim::test {
namespace {

std::vector<std::string> lines_of(const CollectingSink& sink) {
  std::vector<std::string> out;
  for (const LogRecord& r : sink.records) out.push_back(fmt::format("{:.3f} {} {}", r.t_ms, r.thread, r.text));
  return out;
}

std::vector<std::string> run_c_driver() {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("producer", [] { c_producer(); }, 2);
  THREADHANDLE consumer = m.create_thread("consumer", [] { c_consumer(); }, 1);
  c_set_consumer(reinterpret_cast<::THREADHANDLE>(consumer));
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  return lines_of(sink);
}

// The same driver, written against the C++ API.
std::vector<std::string> run_cxx_driver() {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  SEMHANDLE request = 0;
  MUTEXHANDLE queue = 0;
  THREADHANDLE consumer = nullptr;
  auto say = [&](const char* what, const EventContext& e) {
    log(fmt::format("{} ref={} carry={} on {}", what, e.refdata, e.timed_out ? 1 : 0,
                    e.thread == consumer ? "consumer" : "other"));
  };
  auto on_event = [&](const EventContext& e) { say("event", e); };
  m.create_thread("producer", [&] {
    request = Create_Semaphore(0);
    queue = _CreateMutex(0x100, 0);
    Call_When_Idle([](const EventContext&) { log("idle"); return true; });
    _EnterMutex(queue, Block_Svc_Ints);
    Claim_Critical_Section(2, 0);
    CritSectionStatus st = Get_Crit_Section_Status();
    log(Test_Sys_VM_Handle(st.owner) && st.claims == 2 && st.high_priority ? "status ok" : "status wrong");
    End_Critical_Section();
    End_Critical_Section();
    Call_Restricted_Event(0, nullptr, PEF_Always_Sched | PEF_Wait_Not_Crit, 7, on_event);
    Call_Priority_VM_Event(Time_Critical_Boost, Get_Sys_VM_Handle(),
                           PEF_Always_Sched | PEF_Time_Out | PEF_Wait_Not_Time_Crit, 8, on_event, 1);
    Schedule_Thread_Event(consumer, on_event, 3);
    Set_Global_Time_Out(10, [&](const EventContext& e) { say("time-out", e); _SignalID(42); }, 9);
    Cancel_Time_Out(Set_Async_Time_Out(1, on_event, 5));
    ring3(3);
    _LeaveMutex(queue);
    Signal_Semaphore(request);
    Release_Time_Slice();
    log(_GetMutexOwner(queue) == nullptr ? "mutex free" : "mutex held");
  }, 2);
  consumer = m.create_thread("consumer", [&] {
    Wait_Semaphore(request, Block_Svc_Ints);
    _EnterMutex(queue, 0);
    _LeaveMutex(queue);
    _BlockOnID(42, Block_Svc_Ints);
    if (Get_Cur_Thread_Handle() == consumer) log("consumer done");
  }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  return lines_of(sink);
}

TEST(Vxd, DriverLogicThroughTheCInterfaceLogsWhatTheCxxApiLogs) {
  std::vector<std::string> c = run_c_driver();
  std::vector<std::string> cxx = run_cxx_driver();
  EXPECT_EQ(c, cxx);
  EXPECT_GT(c.size(), 30u);
  auto logged = [&](const std::string& text) {
    for (const auto& line : c)
      if (line.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(logged("event ref=8 carry=1"));  // the priority event timed out: its callback saw the carry
  EXPECT_TRUE(logged("event ref=3 carry=0 on consumer"));
  EXPECT_TRUE(logged("time-out ref=9"));
  for (const char* text : {"status ok", "mutex free", "consumer done", "idle"}) EXPECT_TRUE(logged(text)) << text;
}

// C frames cannot be unwound: a misuse ends the run with its error, and the log so far is kept.
TEST(Vxd, AMisusedServiceInCCodeEndsTheRunWithItsError) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("driver", [] { c_misuse(); }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, "driver: _LeaveMutex: unknown mutex handle 99");
  std::vector<std::string> lines = lines_of(sink);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "0.000 driver before the misuse"), lines.end());
  EXPECT_EQ(std::find(lines.begin(), lines.end(), "0.000 driver never reached"), lines.end());
}

TEST(Vxd, EveryCServiceIsInTheServiceTableUnderItsDdkOrdinal) {
  std::set<std::pair<std::uint16_t, std::uint16_t>> keys;
  for (const vxd::ServiceEntry& e : vxd::services()) {
    EXPECT_TRUE(keys.insert({e.device, e.ordinal}).second) << e.name << " shares its ordinal";
    EXPECT_EQ(vxd::find(e.device, e.ordinal), &e) << e.name;
    EXPECT_EQ(vxd::find(e.name), &e) << e.name;
    EXPECT_NE(e.c_entry, nullptr) << e.name;
  }
  EXPECT_EQ(vxd::services().size(), 53u);  // 51 VMM services and vmmsim_log, vmmsim_ring3
  // Spot checks against the DDK's VMM.INC.
  EXPECT_EQ(vxd::service_id(*vxd::find("Call_Restricted_Event")), 0x0001015Au);
  EXPECT_EQ(vxd::service_id(*vxd::find("_BlockOnID")), 0x000100FAu);
  EXPECT_EQ(vxd::service_id(*vxd::find("Set_Global_Time_Out")), 0x0001003Cu);
  EXPECT_EQ(vxd::find("Call_Restricted_Event")->c_entry, reinterpret_cast<void (*)()>(&::Call_Restricted_Event));
  EXPECT_EQ(vxd::find(vxd::kVmmDeviceId, 0x0002), nullptr);  // Test_Cur_VM_Handle: not implemented
}

}  // namespace
}  // namespace vmmsim::test
