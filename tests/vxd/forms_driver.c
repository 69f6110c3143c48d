/* forms_driver.c: one driver written in both calling families of the services that take a
 * callback: built twice, as libforms_ddk.so (the DDK-wrapper forms of vmmsim/vxd.h) and as
 * libforms_vtoolsd.so (-DVMMSIM_VTOOLSD: the VToolsD forms, trailing thunks, a callback type per
 * service, the carry as VToolsD hands it over). tests/vxd/forms_test.cpp runs both and compares
 * the logs: every line the same. */
#include <stdio.h>

#include "vmmsim/vxd.h"

#define DONE_ID 0x444F4E45u

static THREADHANDLE worker;

static void note(const char* what, const void* refdata, int carry) {
  char line[96];
  snprintf(line, sizeof line, "%s ref=%lu carry=%d", what, (unsigned long)(uintptr_t)refdata, carry);
  vmmsim_log(line);
}

#ifdef VMMSIM_VTOOLSD
#include LOCKED_CODE_SEGMENT

static RestrictedEvent_THUNK restricted_thunk;
static PriorityVMEvent_THUNK priority_thunk;
static Event_THUNK global_thunk, scheduled_global_thunk, vm_thunk, scheduled_vm_thunk, not_crit_thunk, ints_thunk;
static ThreadEvent_THUNK thread_thunk;
static Idle_THUNK idle_thunk;
static TIMEOUT_THUNK global_timeout_thunk, vm_timeout_thunk, done_thunk;
static THREADTIMEOUT_THUNK thread_timeout_thunk;
static ASYNCTIMEOUT_THUNK async_timeout_thunk;

static VOID __stdcall on_restricted(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  (void)hThread;
  note("restricted", Refdata, (int)(pRegs->Client_EFlags & CF_MASK));
}
static VOID __stdcall on_priority(VMHANDLE hVM, PVOID Refdata, PCLIENT_STRUCT pRegs, DWORD Flags) {
  (void)hVM;
  (void)pRegs;
  note("priority", Refdata, (int)(Flags & CF_MASK)); /* VToolsD: the flags register, CF set: timed out */
}
static VOID __stdcall on_event(VMHANDLE hVM, PVOID Refdata, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  note("event", Refdata, (int)(pRegs->Client_EFlags & CF_MASK));
}
static VOID __stdcall on_thread_event(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  note(hThread == worker ? "thread event on worker" : "thread event elsewhere", Refdata,
       (int)(pRegs->Client_EFlags & CF_MASK));
}
static BOOL __stdcall on_idle(VMHANDLE hVM, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  (void)pRegs;
  vmmsim_log("idle");
  return TRUE;
}
static VOID __stdcall on_timeout(VMHANDLE hVM, PCLIENT_STRUCT pRegs, PVOID refdata, DWORD Extra) {
  (void)hVM;
  (void)pRegs;
  (void)Extra;
  note("time-out", refdata, 0);
}
static VOID __stdcall on_done(VMHANDLE hVM, PCLIENT_STRUCT pRegs, PVOID refdata, DWORD Extra) {
  on_timeout(hVM, pRegs, refdata, Extra);
  _SignalID(DONE_ID);
}
static VOID __stdcall on_thread_timeout(THREADHANDLE hThread, VMHANDLE hVM, PCLIENT_STRUCT pRegs, PVOID refdata,
                                        DWORD Extra) {
  (void)hVM;
  (void)pRegs;
  (void)Extra;
  note(hThread == worker ? "thread time-out on worker" : "thread time-out elsewhere", refdata, 0);
}
static VOID __stdcall on_async_timeout(PVOID refdata, DWORD Extra) {
  (void)Extra;
  note("async time-out", refdata, 0);
}

static void schedule_everything(void) {
  Call_Restricted_Event(Time_Critical_Boost, NULL, PEF_ALWAYS_SCHED | PEF_TIME_OUT | PEF_WAIT_NOT_TIME_CRIT,
                        (PVOID)1, on_restricted, 1, &restricted_thunk);
  Call_Priority_VM_Event(TIME_CRITICAL_BOOST, Get_Sys_VM_Handle(),
                         PEF_ALWAYS_SCHED | PEF_TIME_OUT | PEF_WAIT_NOT_TIME_CRIT, (PVOID)2, on_priority, 1,
                         &priority_thunk);
  Call_Priority_VM_Event(0, Get_Sys_VM_Handle(), PEF_ALWAYS_SCHED, (PVOID)3, on_priority, 0, &priority_thunk);
  Call_Global_Event(on_event, (PVOID)4, &global_thunk);
  Schedule_Global_Event(on_event, (PVOID)5, &scheduled_global_thunk);
  Call_VM_Event(Get_Sys_VM_Handle(), on_event, (PVOID)6, &vm_thunk);
  Schedule_VM_Event(Get_Sys_VM_Handle(), on_event, (PVOID)7, &scheduled_vm_thunk);
  Schedule_Thread_Event(worker, on_thread_event, (PVOID)8, &thread_thunk);
  Call_When_Not_Critical((PVOID)9, on_event, &not_crit_thunk); /* VToolsD: refdata first */
  Call_When_VM_Ints_Enabled(on_event, (PVOID)10, &ints_thunk);
  Call_When_Idle(on_idle, &idle_thunk);
  Set_Global_Time_Out(2, (PVOID)11, on_timeout, &global_timeout_thunk);
  Set_VM_Time_Out(3, Get_Sys_VM_Handle(), (PVOID)12, on_timeout, &vm_timeout_thunk);
  Set_Thread_Time_Out(4, worker, (PVOID)13, on_thread_timeout, &thread_timeout_thunk);
  Set_Async_Time_Out(5, (PVOID)14, on_async_timeout, &async_timeout_thunk);
  Set_Global_Time_Out(30, (PVOID)15, on_done, &done_thunk);
}
#else
static VOID __stdcall on_restricted(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  note("restricted", refdata, (int)(pcrs->Client_EFlags & CF_MASK));
}
static VOID __stdcall on_priority(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  note("priority", refdata, (int)(pcrs->Client_EFlags & CF_MASK)); /* DDK wrappers: carry in Client_EFlags */
}
static VOID __stdcall on_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  note("event", refdata, (int)(pcrs->Client_EFlags & CF_MASK));
}
static VOID __stdcall on_thread_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  note(hthread == worker ? "thread event on worker" : "thread event elsewhere", refdata,
       (int)(pcrs->Client_EFlags & CF_MASK));
}
static BOOL __stdcall on_idle(VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  vmmsim_log("idle");
  return TRUE;
}
static VOID __stdcall on_timeout(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  (void)pcrs;
  note("time-out", refdata, 0);
}
static VOID __stdcall on_done(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  on_timeout(hvm, hthread, refdata, pcrs);
  _SignalID(DONE_ID);
}
static VOID __stdcall on_thread_timeout(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)pcrs;
  note(hthread == worker ? "thread time-out on worker" : "thread time-out elsewhere", refdata, 0);
}
static VOID __stdcall on_async_timeout(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  (void)pcrs;
  note("async time-out", refdata, 0);
}

static void schedule_everything(void) {
  Call_Restricted_Event(Time_Critical_Boost, 0, PEF_Always_Sched | PEF_Time_Out | PEF_Wait_Not_Time_Crit, (PVOID)1,
                        on_restricted, 1);
  Call_Priority_VM_Event(Time_Critical_Boost, Get_Sys_VM_Handle(),
                         PEF_Always_Sched | PEF_Time_Out | PEF_Wait_Not_Time_Crit, (PVOID)2, on_priority, 1);
  Call_Priority_VM_Event(0, Get_Sys_VM_Handle(), PEF_Always_Sched, (PVOID)3, on_priority, 0);
  Call_Global_Event(on_event, (PVOID)4);
  Schedule_Global_Event(on_event, (PVOID)5);
  Call_VM_Event(Get_Sys_VM_Handle(), on_event, (PVOID)6);
  Schedule_VM_Event(Get_Sys_VM_Handle(), on_event, (PVOID)7);
  Schedule_Thread_Event(worker, on_thread_event, (PVOID)8);
  Call_When_Not_Critical(on_event, (PVOID)9);
  Call_When_VM_Ints_Enabled(on_event, (PVOID)10);
  Call_When_Idle(on_idle);
  Set_Global_Time_Out(2, on_timeout, (PVOID)11);
  Set_VM_Time_Out(3, Get_Sys_VM_Handle(), on_timeout, (PVOID)12);
  Set_Thread_Time_Out(4, worker, on_thread_timeout, (PVOID)13);
  Set_Async_Time_Out(5, on_async_timeout, (PVOID)14);
  Set_Global_Time_Out(30, on_done, (PVOID)15);
}
#endif

/* Run: from the worker thread: schedule one of each, run at ring 3, wait for the last time-out. */
DWORD Run(void) {
  worker = Get_Cur_Thread_Handle();
  schedule_everything();
  Begin_Critical_Section(0); /* Call_When_Not_Critical runs when it is released */
  End_Critical_Section();
  vmmsim_ring3(10000);
  _BlockOnID(DONE_ID, Block_Svc_Ints);
  return 0;
}

static DWORD __stdcall control(DWORD message, VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  if (message == Device_Init) worker = 0;
  if (message == System_Exit) vmmsim_log("FORMS: System_Exit");
  return 0;
}

VMMSIM_DECLARE_VXD("FORMS", control)
