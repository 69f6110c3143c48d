/* crash_vxd.c: a driver that dereferences NULL where it is told to: in its control procedure at
 * one control message (CrashAt, called at set-up), in an exported function (Deref), or in an event
 * callback (CrashInEvent); and calls a service where none may be called (SignalAt). vmmsim must report each with the driver's name and where it was, and
 * keep the log so far (tests/vxd/crash_test.cpp, tests/cli/vxd/crash_*.lua). */
#include "vmmsim/vxd.h"

static volatile DWORD* volatile nowhere = 0; /* volatile: each load happens, and is no trap */
static DWORD crash_at = 0xFFFFFFFFu;
static DWORD signal_at = 0xFFFFFFFFu;

DWORD CrashAt(DWORD message) {
  crash_at = message;
  return 0;
}

/* SignalAt: call _SignalID from the control procedure at that message (at System_Exit, a misuse:
 * no service runs after the last thread). */
DWORD SignalAt(DWORD message) {
  signal_at = message;
  return 0;
}

DWORD Deref(void) {
  vmmsim_log("CRASHER: dereferencing NULL");
  return *nowhere;
}

static VOID __stdcall crash_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  (void)refdata;
  (void)pcrs;
  vmmsim_log("CRASHER: the event runs");
  (void)*nowhere;
}

DWORD CrashInEvent(void) {
  Call_Priority_VM_Event(Low_Pri_Device_Boost, Get_Sys_VM_Handle(), PEF_Always_Sched, 0, crash_event, 0);
  vmmsim_ring3(1000);
  return 0;
}

static DWORD __stdcall control(DWORD message, VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  if (message == crash_at) return *nowhere;
  if (message == signal_at) _SignalID(1);
  return 0;
}

VMMSIM_DECLARE_VXD("CRASHER", control)
