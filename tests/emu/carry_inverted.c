/* carry_inverted.c: a test image whose event callback reads the carry flag inverted (the DDK sets it
 * when the event's time-out expired first: DDK "Call_Priority_VM_Event", "The callback function
 * should always check the carry flag"). Post() reflects work into a VM with a 5 ms time-out;
 * the callback, believing the event ran in that VM, records where it ran. When the event is on time
 * the driver takes it for a time-out and only logs; when the time-out comes first, it takes the
 * System VM for the target VM (Result() 2). Only an order where the VM resumes late shows it. */
#include "vmm_i386.h"

static DWORD target_vm;
static DWORD result; /* 0 nothing yet, 1 ran in the target VM, 2 ran elsewhere believing it on time, 3 "timed out" */

static __attribute__((used)) void event_c(DWORD timed_out, DWORD vm) {
  if (timed_out) {
    result = 3;
    vmmsim_log("CARRYINV: timed out, nothing reflected");
    return;
  }
  result = vm == target_vm ? 1 : 2;
  vmmsim_log(vm == target_vm ? "CARRYINV: reflected into the VM" : "CARRYINV: reflected into the wrong VM");
}
/* The bug: SBB EAX, EAX then INC EAX gives 1 when the carry is clear: "timed out" read inverted. */
__asm__(".text\n.globl on_event\n.type on_event,@function\non_event:\n"
        "\tsbbl %eax, %eax\n\tincl %eax\n\tpushl %ebx\n\tpushl %eax\n\tcall event_c\n\taddl $8, %esp\n\tret\n"
        ".size on_event, .-on_event\n");
extern void on_event(void);

DWORD Post(DWORD vm) {
  target_vm = vm;
  return Call_Priority_VM_Event(0x1000, vm, PEF_Time_Out, 0, on_event, 5);
}
DWORD Result(void) { return result; }

static __attribute__((used)) DWORD control_c(DWORD message, DWORD vm, DWORD thread) {
  (void)vm;
  (void)thread;
  if (message == 0x0001) result = 0;
  return 0;
}
CONTROL_ENTRY(CARRYINV_Control, control_c);
DECLARE_VIRTUAL_DEVICE(CARRYINV, "CARRYINV", CARRYINV_Control);
