/* all_services.c: every service of vmmsim/vxd.h called once from C (the DDK-wrapper forms), in a
 * scenario of a System VM thread ("driver") and a VM ("DOS"). tests/vxd/all_services_test.cpp
 * runs it and the same calls through vmmsim/services.hpp and compares the logs; it also checks
 * that this file calls every service of the service table. */
#include <stdio.h>

#include "vmmsim/vxd.h"

#define DOS_GO 77u

static VMHANDLE dos;
static THREADHANDLE driver;

void all_set_dos(VMHANDLE vm) { dos = vm; }

static void say(const char* what, PVOID refdata, PCLIENT_STRUCT pcrs, THREADHANDLE where) {
  char line[96];
  snprintf(line, sizeof line, "%s ref=%lu carry=%d on %s", what, (unsigned long)(uintptr_t)refdata,
           (int)(pcrs->Client_EFlags & CF_MASK), where == driver ? "driver" : "other");
  vmmsim_log(line);
}
static void number(const char* what, unsigned long value) {
  char line[64];
  snprintf(line, sizeof line, "%s %lu", what, value);
  vmmsim_log(line);
}

static VOID __stdcall on_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  say("event", refdata, pcrs, hthread);
}
static VOID __stdcall on_timeout(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  say("time-out", refdata, pcrs, hthread);
}
static BOOL __stdcall on_idle(VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  vmmsim_log("idle");
  return FALSE;
}

/* resume_dos: DOS suspended itself with End_Crit_And_Suspend meanwhile. */
static VOID __stdcall resume_dos(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  say("resume", refdata, pcrs, hthread);
  (void)hvm;
  No_Fail_Resume_VM(dos);
  number("time at the end", Get_System_Time());
}

void all_driver(void) {
  EVENTHANDLE h;
  MUTEXHANDLE m;
  SEMHANDLE s;
  DWORD claims = 0;
  BOOL carry = FALSE;
  driver = Get_Cur_Thread_Handle();
  vmmsim_log(Test_Sys_VM_Handle(Get_Cur_VM_Handle()) && Get_Cur_VM_Handle() == Get_Sys_VM_Handle() ? "sys" : "?");
  number("time", Get_System_Time());
  h = Call_Restricted_Event(0, 0, PEF_Always_Sched, (PVOID)1, on_event, 0);
  Cancel_Restricted_Event(h);
  h = Call_Priority_VM_Event(0, dos, PEF_Always_Sched, (PVOID)2, on_event, 0);
  Cancel_Priority_VM_Event(h);
  h = Schedule_Global_Event(on_event, (PVOID)3);
  Cancel_Global_Event(h);
  number("global event at once", (unsigned long)Call_Global_Event(on_event, (PVOID)4));
  h = Schedule_VM_Event(dos, on_event, (PVOID)5);
  Cancel_VM_Event(dos, h);
  Call_VM_Event(dos, on_event, (PVOID)6);
  h = Schedule_Thread_Event(driver, on_event, (PVOID)7);
  Cancel_Thread_Event(driver, h);
  Call_When_Not_Critical(on_event, (PVOID)8);
  Call_When_VM_Ints_Enabled(on_event, (PVOID)9);
  Call_When_Idle(on_idle);
  Adjust_Exec_Priority(0x10, Get_Cur_VM_Handle());
  Adjust_Exec_Priority(-0x10, Get_Cur_VM_Handle());
  Adjust_Thread_Exec_Priority(0x10, driver);
  Adjust_Thread_Exec_Priority(-0x10, driver);
  Begin_Critical_Section(0);
  Claim_Critical_Section(1, 0);
  Get_Crit_Section_Status(&claims, &carry);
  number("claims", claims);
  End_Critical_Section();
  End_Critical_Section();
  m = _CreateMutex(0x100, 0);
  _EnterMutex(m, Block_Svc_Ints);
  vmmsim_log(_GetMutexOwner(m) == driver ? "mutex mine" : "mutex?");
  _LeaveMutex(m);
  _DestroyMutex(m);
  s = Create_Semaphore(1);
  Wait_Semaphore(s, 0);
  Signal_Semaphore(s);
  Set_Global_Time_Out(1, on_timeout, (PVOID)10);
  Set_VM_Time_Out(2, dos, on_timeout, (PVOID)11);
  Set_Thread_Time_Out(2, driver, on_timeout, (PVOID)12);
  Set_Async_Time_Out(1, on_timeout, (PVOID)13);
  Cancel_Time_Out(Set_Global_Time_Out(1, on_timeout, (PVOID)14));
  Begin_Nest_Exec();
  Exec_Int(0x21);
  Resume_Exec();
  End_Nest_Exec();
  number("suspended", (unsigned long)Suspend_VM(dos));
  number("resumed", (unsigned long)Resume_VM(dos));
  number("suspended again", (unsigned long)Suspend_VM(dos));
  No_Fail_Resume_VM(dos);
  Wake_Up_VM(dos);
  vmmsim_ring3(3000);
  Release_Time_Slice();
  _BlockOnID(DOS_GO, 0); /* until DOS runs */
  Set_Global_Time_Out(4, resume_dos, (PVOID)15);
}

void all_dos(void) {
  vmmsim_ring3(3000); /* its VM time-out is due after 2 ms of it */
  _SignalID(DOS_GO);
  Begin_Critical_Section(0);
  number("end crit and suspend", (unsigned long)End_Crit_And_Suspend());
  vmmsim_log("DOS resumed");
}
