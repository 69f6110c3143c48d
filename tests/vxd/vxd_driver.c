/* vxd_driver.c: driver logic written in C against vmmsim/vxd.h, in the DDK-wrapper forms, compiled
 * as C99 with -Wall -Wextra -Werror. tests/vxd/vxd_test.cpp runs it and the same logic written
 * against the C++ API, and compares the two logs. */
#include <stdio.h>

#include "vmmsim/vxd.h"

static SEMHANDLE request;
static MUTEXHANDLE queue;
static THREADHANDLE consumer;

void c_set_consumer(THREADHANDLE t) { consumer = t; }

static void say(const char* what, PVOID refdata, PCLIENT_STRUCT pcrs, THREADHANDLE where) {
  char line[96];
  snprintf(line, sizeof line, "%s ref=%lu carry=%d on %s", what, (unsigned long)(uintptr_t)refdata,
           (int)(pcrs->Client_EFlags & CF_MASK), where == consumer ? "consumer" : "other");
  vmmsim_log(line);
}

static VOID __stdcall on_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  say("event", refdata, pcrs, hthread);
}

static VOID __stdcall on_timeout(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  say("time-out", refdata, pcrs, hthread);
  _SignalID(42);
}

static BOOL __stdcall on_idle(VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  vmmsim_log("idle");
  return TRUE;
}

void c_producer(void) {
  DWORD claims = 0;
  BOOL carry = FALSE;
  VMHANDLE owner;
  request = Create_Semaphore(0);
  queue = _CreateMutex(0x100, 0);
  Call_When_Idle(on_idle);
  _EnterMutex(queue, Block_Svc_Ints);
  Claim_Critical_Section(2, 0);
  owner = Get_Crit_Section_Status(&claims, &carry);
  vmmsim_log(Test_Sys_VM_Handle(owner) && claims == 2 && carry ? "status ok" : "status wrong");
  End_Critical_Section();
  End_Critical_Section();
  Call_Restricted_Event(0, 0, PEF_Always_Sched | PEF_Wait_Not_Crit, (PVOID)7, on_event, 0);
  /* Its own boost keeps PEF_Wait_Not_Time_Crit from ever holding: it times out, carry set. */
  Call_Priority_VM_Event(Time_Critical_Boost, Get_Sys_VM_Handle(),
                         PEF_Always_Sched | PEF_Time_Out | PEF_Wait_Not_Time_Crit, (PVOID)8, on_event, 1);
  Schedule_Thread_Event(consumer, on_event, (PVOID)3);
  Set_Global_Time_Out(10, on_timeout, (PVOID)9);
  Cancel_Time_Out(Set_Async_Time_Out(1, on_event, (PVOID)5));
  vmmsim_ring3(3000);
  _LeaveMutex(queue);
  Signal_Semaphore(request);
  Release_Time_Slice();
  vmmsim_log(_GetMutexOwner(queue) == 0 ? "mutex free" : "mutex held");
}

void c_consumer(void) {
  Wait_Semaphore(request, Block_Svc_Ints);
  _EnterMutex(queue, 0);
  _LeaveMutex(queue);
  _BlockOnID(42, Block_Svc_Ints);
  if (Get_Cur_Thread_Handle() == consumer) vmmsim_log("consumer done");
}

/* c_misuse: a misused service in C code ends the run with its error. */
void c_misuse(void) {
  vmmsim_log("before the misuse");
  _LeaveMutex(99);
  vmmsim_log("never reached");
}
