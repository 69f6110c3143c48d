/* emu_vxd.c: the test image of tests/emu: an i386 VxD built three ways (ET_DYN -fpic, ET_DYN -fno-pic
 * with text relocations, ET_EXEC static) that the loader and the engine tests run: plain C functions,
 * data reached through relocations, VMM services at INT 20h, an event callback and a control
 * procedure in the DDK's registers. */
#include "vmm_i386.h"

static DWORD counter = 40;
static DWORD* counter_ref = &counter; /* a relocated pointer in data (R_386_RELATIVE or R_386_32) */
DWORD messages[64];
DWORD message_count;
DWORD last_event[5];
static const char* const greetings[] = {"hello from i386", "again"};

DWORD add3(DWORD a, DWORD b, DWORD c) { return a + b + c; }
DWORD bump(void) { return ++*counter_ref; }
DWORD greet(DWORD which) {
  vmmsim_log(greetings[which & 1]);
  return which;
}
DWORD current_vm(void) { return Get_Cur_VM_Handle(); }
DWORD current_thread(void) { return Get_Cur_Thread_Handle(); }
DWORD is_sys_vm(DWORD vm) { return (DWORD)Test_Sys_VM_Handle(vm); }
DWORD spin_services(DWORD n) {
  DWORD sum = 0;
  for (DWORD i = 0; i < n; ++i) sum += Get_System_Time();
  return sum;
}
/* spin_forever: a loop that never calls the VMM (the budget's runaway, --max-steps). */
DWORD spin_forever(void) {
  for (volatile DWORD i = 0;; ++i) {
  }
}
/* poke, peek: any address of the flat space (the pool's reset must clear what a run wrote). */
DWORD poke(DWORD address, DWORD value) {
  *(volatile DWORD*)address = value;
  return 0;
}
DWORD peek(DWORD address) { return *(volatile DWORD*)address; }
/* patch_me returns 1 until patch rewrites its MOV's immediate (code the driver changes). */
__asm__(".text\n.globl patch_me\n.type patch_me,@function\npatch_me:\n\tmovl $1, %eax\n\tret\n"
        ".size patch_me, .-patch_me\n");
extern DWORD patch_me(void);
DWORD patch(DWORD value) {
  *((volatile unsigned char*)patch_me + 1) = (unsigned char)value;
  return 0;
}
DWORD block(DWORD id) {
  _BlockOnID(id, Block_Svc_Ints);
  return 1;
}
DWORD signal(DWORD id) {
  _SignalID(id);
  return 0;
}
DWORD semaphore_round(void) {
  DWORD s = Create_Semaphore(1);
  Wait_Semaphore(s, 0);
  Signal_Semaphore(s);
  return s;
}

static __attribute__((used)) void event_c(DWORD timed_out, DWORD vm, DWORD thread, DWORD ref, DWORD crs) {
  last_event[0] = timed_out;
  last_event[1] = vm;
  last_event[2] = thread;
  last_event[3] = ref;
  last_event[4] = crs;
  vmmsim_log(timed_out ? "event timed out" : "event runs");
}
EVENT_ENTRY(on_event, event_c);
extern void on_event(void);

DWORD post_event(DWORD vm, DWORD ref, DWORD flags, DWORD timeout) {
  return Call_Priority_VM_Event(0x1000, vm, flags, ref, on_event, timeout);
}
/* jump_time: the jump form (VMMJmp Get_System_Time, bit 15 of the service word): the service
 * returns to jump_time's caller with EAX set, as a tail call would. */
__asm__(".text\n.globl jump_time\n.type jump_time,@function\njump_time:\n\t" VMMCALL(0x0001803F)
        "\tud2\n.size jump_time, .-jump_time\n");
/* bad_callback: an event callback that returns with EBP cleared (a driver bug the VMM cannot
 * survive: EBP is the client register pointer it gave). */
__asm__(".text\n.globl bad_callback\n.type bad_callback,@function\nbad_callback:\n\txorl %ebp, %ebp\n\tret\n"
        ".size bad_callback, .-bad_callback\n");
extern void bad_callback(void);
DWORD post_bad_event(DWORD vm) { return Call_Priority_VM_Event(0, vm, PEF_Always_Sched, 0, bad_callback, 0); }
/* Callbacks that return breaking the rest of the convention (emu/return_checks.hpp): ES loaded with
 * the null selector, the direction flag left set, interrupts left disabled. */
__asm__(".text\n.globl bad_es_callback\n.type bad_es_callback,@function\nbad_es_callback:\n"
        "\txorl %eax, %eax\n\tmovw %ax, %es\n\tret\n.size bad_es_callback, .-bad_es_callback\n"
        ".globl bad_df_callback\n.type bad_df_callback,@function\nbad_df_callback:\n\tstd\n\tret\n"
        ".size bad_df_callback, .-bad_df_callback\n"
        ".globl bad_if_callback\n.type bad_if_callback,@function\nbad_if_callback:\n\tcli\n\tret\n"
        ".size bad_if_callback, .-bad_if_callback\n");
extern void bad_es_callback(void);
extern void bad_df_callback(void);
extern void bad_if_callback(void);
DWORD post_bad_return(DWORD vm, DWORD which) {
  void (*cb)(void) = which == 0 ? bad_es_callback : which == 1 ? bad_df_callback : bad_if_callback;
  return Call_Priority_VM_Event(0, vm, PEF_Always_Sched, 0, cb, 0);
}
/* segments: DS and ES as a drv.call sees them, packed (DS << 16 | ES). */
DWORD segments(void) {
  DWORD ds, es;
  __asm__ volatile("movl %%ds, %0\n\tmovl %%es, %1" : "=r"(ds), "=r"(es));
  return ds << 16 | es;
}
DWORD unknown_service(void) {
  DWORD eax;
  __asm__ volatile(VMMCALL(0x00010999) : "=a"(eax) : : "cc", "memory");
  return eax;
}
DWORD dos_call(void) {
  __asm__ volatile("int $0x21" : : : "cc", "memory");
  return 0;
}
DWORD null_read(void) { return *(volatile DWORD*)0x10; }
DWORD divide(DWORD a, DWORD b) { return a / b; }

DWORD messages_seen(void) { return message_count; }

static __attribute__((used)) DWORD control_c(DWORD message, DWORD vm, DWORD thread) {
  (void)vm;
  (void)thread;
  if (message_count < 64) messages[message_count++] = message;
  if (message == 0x0001) vmmsim_log("control procedure: Device_Init");
  if (message == 0x0005) vmmsim_log("control procedure: System_Exit"); /* logging is allowed then */
  return message == 0x7F ? 1 : 0; /* fails a message no VMM sends, for the carry test */
}
CONTROL_ENTRY(EMUTEST_Control, control_c);
DECLARE_VIRTUAL_DEVICE(EMUTEST, "EMUTEST ", EMUTEST_Control);
