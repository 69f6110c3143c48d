// all_services_test.cpp: every service of the C interface does what its C++ service does: the
// calls of tests/vxd/all_services.c (one of each service of vmmsim/vxd.h) and the same calls
// through vmmsim/services.hpp give the same log; and that file calls every service of the table.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/ranges.h>

#include "test_support.hpp"
#include "vmmsim/vxd.h"
#include "vxd/service_table.hpp"

extern "C" {
void all_set_dos(::VMHANDLE vm);
void all_driver(void);
void all_dos(void);
}

namespace vmmsim::test {
namespace {

std::vector<std::string> lines_of(const CollectingSink& sink) {
  std::vector<std::string> out;
  for (const LogRecord& r : sink.records)
    out.push_back(fmt::format("{:.3f} {} {} {}", r.t_ms, r.thread, r.kind, r.text));
  return out;
}

std::vector<std::string> run_c() {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  m.create_thread("driver", [] { all_driver(); }, 2);
  VMHANDLE dos = m.create_vm("DOS", [] { all_dos(); }, 1);
  all_set_dos(reinterpret_cast<::VMHANDLE>(dos));
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message << "\n" << fmt::format("{}", fmt::join(lines_of(sink), "\n"));
  return lines_of(sink);
}

std::vector<std::string> run_cxx() {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  VMHANDLE dos = nullptr;
  THREADHANDLE driver = nullptr;
  auto say = [&](const char* what, const EventContext& e) {
    log(fmt::format("{} ref={} carry={} on {}", what, e.refdata, e.timed_out ? 1 : 0,
                    e.thread == driver ? "driver" : "other"));
  };
  auto on_event = [&](const EventContext& e) { say("event", e); };
  auto on_timeout = [&](const EventContext& e) { say("time-out", e); };
  auto number = [](const char* what, unsigned long value) { log(fmt::format("{} {}", what, value)); };
  m.create_thread("driver", [&] {
    driver = Get_Cur_Thread_Handle();
    log(Test_Sys_VM_Handle(Get_Cur_VM_Handle()) && Get_Cur_VM_Handle() == Get_Sys_VM_Handle() ? "sys" : "?");
    number("time", static_cast<unsigned long>(Get_System_Time()));
    Cancel_Restricted_Event(Call_Restricted_Event(0, nullptr, PEF_Always_Sched, 1, on_event));
    Cancel_Priority_VM_Event(Call_Priority_VM_Event(0, dos, PEF_Always_Sched, 2, on_event));
    Cancel_Global_Event(Schedule_Global_Event(on_event, 3));
    number("global event at once", static_cast<unsigned long>(Call_Global_Event(on_event, 4)));
    Cancel_VM_Event(dos, Schedule_VM_Event(dos, on_event, 5));
    Call_VM_Event(dos, on_event, 6);
    Cancel_Thread_Event(driver, Schedule_Thread_Event(driver, on_event, 7));
    Call_When_Not_Critical(on_event, 8);
    Call_When_VM_Ints_Enabled(on_event, 9);
    Call_When_Idle([](const EventContext&) {
      log("idle");
      return false;
    });
    Adjust_Exec_Priority(0x10, Get_Cur_VM_Handle());
    Adjust_Exec_Priority(-0x10, Get_Cur_VM_Handle());
    Adjust_Thread_Exec_Priority(0x10, driver);
    Adjust_Thread_Exec_Priority(-0x10, driver);
    Begin_Critical_Section(0);
    Claim_Critical_Section(1, 0);
    number("claims", static_cast<unsigned long>(Get_Crit_Section_Status().claims));
    End_Critical_Section();
    End_Critical_Section();
    MUTEXHANDLE mx = _CreateMutex(0x100, 0);
    _EnterMutex(mx, Block_Svc_Ints);
    log(_GetMutexOwner(mx) == driver ? "mutex mine" : "mutex?");
    _LeaveMutex(mx);
    _DestroyMutex(mx);
    SEMHANDLE s = Create_Semaphore(1);
    Wait_Semaphore(s, 0);
    Signal_Semaphore(s);
    Set_Global_Time_Out(1, on_timeout, 10);
    Set_VM_Time_Out(2, dos, on_timeout, 11);
    Set_Thread_Time_Out(2, driver, on_timeout, 12);
    Set_Async_Time_Out(1, on_timeout, 13);
    Cancel_Time_Out(Set_Global_Time_Out(1, on_timeout, 14));
    Begin_Nest_Exec();
    Exec_Int(0x21);
    Resume_Exec();
    End_Nest_Exec();
    number("suspended", Suspend_VM(dos) ? 1 : 0);
    Resume_VM(dos);
    number("resumed", 1);
    number("suspended again", Suspend_VM(dos) ? 1 : 0);
    No_Fail_Resume_VM(dos);
    Wake_Up_VM(dos);
    ring3(3);
    Release_Time_Slice();
    _BlockOnID(77, 0);
    Set_Global_Time_Out(4, [&](const EventContext& e) {
      say("resume", e);
      No_Fail_Resume_VM(dos);
      number("time at the end", static_cast<unsigned long>(Get_System_Time()));
    }, 15);
  }, 2);
  dos = m.create_vm("DOS", [&] {
    ring3(3);
    _SignalID(77);
    Begin_Critical_Section(0);
    number("end crit and suspend", End_Crit_And_Suspend() ? 1 : 0);
    log("DOS resumed");
  }, 1);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message << "\n" << fmt::format("{}", fmt::join(lines_of(sink), "\n"));
  return lines_of(sink);
}

TEST(VxdServices, EveryServiceThroughTheCInterfaceLogsWhatItsCxxServiceLogs) {
  std::vector<std::string> c = run_c();
  std::vector<std::string> cxx = run_cxx();
  EXPECT_EQ(c, cxx);
  EXPECT_GT(c.size(), 40u);
}

TEST(VxdServices, TheCDriverCallsEveryServiceOfTheTable) {
  std::ifstream in(VMMSIM_ALL_SERVICES_C);
  ASSERT_TRUE(in) << VMMSIM_ALL_SERVICES_C;
  std::stringstream text;
  text << in.rdbuf();
  for (const vxd::ServiceEntry& e : vxd::services())
    EXPECT_NE(text.str().find(std::string(e.name) + "("), std::string::npos) << e.name << " is not called";
}

}  // namespace
}  // namespace vmmsim::test
