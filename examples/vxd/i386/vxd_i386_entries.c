/* vxd_i386_entries.c: the register entries of an i386 image built with vxd_i386.c: the callback
 * slots and vmmsim_i386_event_entry (vxd_i386.c says why), and the control procedure's entry that
 * VMMSIM_DECLARE_VXD puts in the DDB. Built with the VToolsD handler types in view (not its service
 * names), since a slot may hold either family's callback. */
#define VMMSIM_VTOOLSD_NO_NAMES
#include "vmmsim/vtoolsd.h"
#include "vxd_i386_glue.h"

/* --- Callback slots --------------------------------------------------------------------------------- */
#define SLOTS 64
static struct vmmsim_i386_slot slots[SLOTS];
static DWORD slot_count;

/* vmmsim_i386_slot_for: the slot of (kind, callback, refdata); past SLOTS distinct ones the driver is stopped
 * with a message (ud2: the emulator reports the invalid opcode in vmmsim_i386_slot_for). */
struct vmmsim_i386_slot* vmmsim_i386_slot_for(DWORD kind, void* callback, const void* refdata) {
  DWORD i;
  for (i = 0; i < slot_count; ++i)
    if (slots[i].kind == kind && slots[i].callback == callback && slots[i].refdata == refdata) return &slots[i];
  if (slot_count == SLOTS) {
    vmmsim_log("vxd_i386.c: more than 64 distinct (callback, reference data) pairs");
    __asm__ volatile("ud2");
    __builtin_unreachable();
  }
  slots[slot_count].kind = kind;
  slots[slot_count].callback = callback;
  slots[slot_count].refdata = refdata;
  return &slots[slot_count++];
}

/* vmmsim_i386_event: what vmmsim_i386_event_entry calls, with the VMM's registers as arguments. */
HIDDEN void vmmsim_i386_event(DWORD vm, DWORD thread, struct vmmsim_i386_slot* s, PCLIENT_STRUCT crs, DWORD eflags) {
  VMHANDLE hvm = (VMHANDLE)vm;
  THREADHANDLE ht = (THREADHANDLE)thread;
  PVOID ref = (PVOID)s->refdata;
  switch (s->kind) {
    case K_EVENT: ((PEVENT_PROC)s->callback)(hvm, ht, ref, crs); break;
    case K_VTD_EVENT: ((PEvent_HANDLER)s->callback)(hvm, ref, crs); break;
    case K_VTD_PRIORITY: ((PPriorityVMEvent_HANDLER)s->callback)(hvm, ref, crs, eflags); break;
    case K_VTD_TIMEOUT: ((PTIMEOUT_HANDLER)s->callback)(hvm, crs, ref, 0); break;
    case K_VTD_THREAD_TO: ((PTHREADTIMEOUT_HANDLER)s->callback)(ht, hvm, crs, ref, 0); break;
    case K_VTD_ASYNC_TO: ((PASYNCTIMEOUT_HANDLER)s->callback)(ref, 0); break;
  }
}
/* The register entry: the flags (the carry: timed out) and EBP, EDX, EDI, EBX as C arguments; C
 * preserves EBP and ESP, which the VMM checks when the callback returns. */
__asm__(".text\n.globl vmmsim_i386_event_entry\n.type vmmsim_i386_event_entry,@function\n"
        "vmmsim_i386_event_entry:\n\tpushfl\n\tpushl %ebp\n\tpushl %edx\n\tpushl %edi\n\tpushl %ebx\n"
        "\tcall vmmsim_i386_event\n\taddl $20, %esp\n\tret\n"
        ".size vmmsim_i386_event_entry, .-vmmsim_i386_event_entry\n");

/* The control procedure (DDK "Control procedure"): EAX message, EBX VM, EDI thread; a non-zero
 * result of the C procedure sets the carry (failure). */
HIDDEN DWORD vmmsim_i386_control(DWORD message, DWORD vm, DWORD thread) {
  return vmmsim_i386_control_proc(message, (VMHANDLE)vm, (THREADHANDLE)thread);
}
__asm__(".text\n.globl vmmsim_i386_control_entry\n.type vmmsim_i386_control_entry,@function\n"
        "vmmsim_i386_control_entry:\n\tpushl %edi\n\tpushl %ebx\n\tpushl %eax\n\tcall vmmsim_i386_control\n"
        "\taddl $12, %esp\n\tcmpl $1, %eax\n\tcmc\n\tret\n"
        ".size vmmsim_i386_control_entry, .-vmmsim_i386_control_entry\n");

