/* pause.c: a keyboard-style Pause handler in VxD style, after the pattern of the Windows 95 DDK's
 * keyboard driver samples: the keyboard interrupt only schedules work, with Call_Priority_VM_Event
 * and the restrictions a handler that touches the System VM needs (interrupts enabled, the
 * critical section free, not inside nested execution, protected mode), and the event's callback
 * does the work and wakes the application waiting for the key. Built as a shared object and
 * loaded by examples/vxd/pause.lua with vmm.load_vxd. */
#include "vmmsim/vxd.h"

#define PAUSE_ID 0x50415553u /* 'PAUS': an ID, conventionally the address of a related object */

static DWORD presses;
static DWORD handled;

static VOID __stdcall pause_event(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs) {
  (void)hvm;
  (void)hthread;
  (void)refdata;
  vmmsim_log((pcrs->Client_EFlags & CF_MASK) ? "VKDPAUSE: the pause event timed out" : "VKDPAUSE: pause handled");
  ++handled;
  _SignalID(PAUSE_ID);
}

/* OnIrq: the keyboard interrupt (vmm.at(ms, drv.fn("OnIrq"))): at interrupt time, so it only queues. */
DWORD OnIrq(void) {
  ++presses;
  Call_Priority_VM_Event(High_Pri_Device_Boost, Get_Sys_VM_Handle(),
                         PEF_Wait_For_STI | PEF_Wait_Not_Crit | PEF_Wait_Not_Nested_Exec | PEF_Wait_In_PM |
                             PEF_Time_Out,
                         0, pause_event, 500);
  return presses;
}

/* WaitForPause: an application's thread waits for the key, servicing events while it waits. */
DWORD WaitForPause(void) {
  while (handled == 0) _BlockOnID(PAUSE_ID, Block_Svc_Ints); /* re-checked: IDs are shared */
  return handled;
}

static DWORD __stdcall control(DWORD message, VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  if (message == Device_Init) {
    presses = handled = 0;
    VMMSIM_VXD_STATE(presses); /* what explore --reduce fingerprints of this driver */
    VMMSIM_VXD_STATE(handled);
  }
  return 0; /* carry clear: success */
}

VMMSIM_DECLARE_VXD("VKDPAUSE", control)
