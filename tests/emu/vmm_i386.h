/* vmm_i386.h: what an i386 VxD built with GCC needs to call vmmsim's VMM services, for the test
 * images of tests/emu (issue 20). Every service is the DDK's dynalink, INT 20h followed by the dword
 * device_id << 16 | ordinal (the DDK's VMMCall / VxDCall macros), with the DDK's registers: the
 * register services take and return what the DDK page of each names (the comments), the services
 * whose name starts with '_' take C arguments on the stack and return in EAX. Ordinals: VMM.INC as
 * src/vxd/service_table.cpp lists them. Freestanding C (gcc -m32 -ffreestanding -nostdlib). */
#ifndef VMMSIM_TESTS_VMM_I386_H
#define VMMSIM_TESTS_VMM_I386_H

typedef unsigned int DWORD;
typedef unsigned short WORD;
typedef unsigned char BYTE;

#define VMMSIM_STR2(x) #x
#define VMMSIM_STR(x) VMMSIM_STR2(x)
/* VMMCALL(id): the dynalink for service id (device << 16 | ordinal). */
#define VMMCALL(id) "int $0x20\n\t.long " VMMSIM_STR(id) "\n\t"

enum { PEF_Wait_Not_Crit = 0x2, PEF_Always_Sched = 0x8, PEF_Time_Out = 0x10, Block_Svc_Ints = 0x1 };

/* DDK "Get_Cur_VM_Handle": EBX = the current VM. */
static inline DWORD Get_Cur_VM_Handle(void) {
  DWORD vm;
  __asm__ volatile(VMMCALL(0x00010001) : "=b"(vm) : : "cc", "memory");
  return vm;
}
/* DDK "Get_Cur_Thread_Handle": EDI = the current thread. */
static inline DWORD Get_Cur_Thread_Handle(void) {
  DWORD t;
  __asm__ volatile(VMMCALL(0x00010108) : "=D"(t) : : "cc", "memory");
  return t;
}
/* DDK "Test_Sys_VM_Handle": EBX = a VM; ZF set when it is the System VM. */
static inline int Test_Sys_VM_Handle(DWORD vm) {
  int zf;
  __asm__ volatile(VMMCALL(0x00010004) "setz %b0\n\tmovzbl %b0, %0" : "=a"(zf) : "b"(vm) : "cc", "memory");
  return zf;
}
/* DDK "Get_System_Time": EAX = milliseconds since start. */
static inline DWORD Get_System_Time(void) {
  DWORD ms;
  __asm__ volatile(VMMCALL(0x0001003F) : "=a"(ms) : : "cc", "memory");
  return ms;
}
/* DDK "Call_Priority_VM_Event": EAX boost, EBX VM, ECX flags, EDX reference data, ESI callback, EDI
 * time-out in ms; ESI = the event handle (0: it ran at once). */
static inline DWORD Call_Priority_VM_Event(DWORD boost, DWORD vm, DWORD flags, DWORD ref, void (*cb)(void),
                                           DWORD timeout) {
  DWORD handle;
  __asm__ volatile(VMMCALL(0x00010014)
                   : "=S"(handle)
                   : "a"(boost), "b"(vm), "c"(flags), "d"(ref), "S"(cb), "D"(timeout)
                   : "cc", "memory");
  return handle;
}
/* DDK "Create_Semaphore": ECX tokens; EAX = the semaphore, carry set on failure. */
static inline DWORD Create_Semaphore(DWORD tokens) {
  DWORD sem;
  __asm__ volatile(VMMCALL(0x00010025) : "=a"(sem) : "c"(tokens) : "cc", "memory");
  return sem;
}
/* DDK "Wait_Semaphore": EAX semaphore, ECX block flags. "Signal_Semaphore": EAX semaphore. */
static inline void Wait_Semaphore(DWORD sem, DWORD flags) {
  __asm__ volatile(VMMCALL(0x00010027) : : "a"(sem), "c"(flags) : "cc", "memory");
}
static inline void Signal_Semaphore(DWORD sem) { __asm__ volatile(VMMCALL(0x00010028) : : "a"(sem) : "cc", "memory"); }
/* DDK "_BlockOnID", "_SignalID": C convention (arguments on the stack, the caller pops them). */
static inline void _BlockOnID(DWORD id, DWORD flags) {
  __asm__ volatile("pushl %1\n\tpushl %0\n\t" VMMCALL(0x000100FA) "addl $8, %%esp"
                   : : "r"(id), "r"(flags) : "eax", "ecx", "edx", "cc", "memory");
}
static inline void _SignalID(DWORD id) {
  __asm__ volatile("pushl %0\n\t" VMMCALL(0x00010127) "addl $4, %%esp" : : "r"(id) : "eax", "ecx", "edx", "cc", "memory");
}
/* vmmsim's own services (not the DDK's: the simulation's log and ring-3 time), C convention. */
static inline void vmmsim_log(const char* text) {
  __asm__ volatile("pushl %0\n\t" VMMCALL(0x7FF00001) "addl $4, %%esp" : : "r"(text) : "eax", "ecx", "edx", "cc", "memory");
}
static inline void vmmsim_ring3(DWORD us) {
  __asm__ volatile("pushl %0\n\t" VMMCALL(0x7FF00002) "addl $4, %%esp" : : "r"(us) : "eax", "ecx", "edx", "cc", "memory");
}

/* The DDK's VxD_Desc_Block (VMM.INC "Declare_Virtual_Device"). */
struct VxD_Desc_Block {
  DWORD DDB_Next;
  WORD DDB_SDK_Version;
  WORD DDB_Req_Device_Number;
  BYTE DDB_Dev_Major_Version;
  BYTE DDB_Dev_Minor_Version;
  WORD DDB_Flags;
  char DDB_Name[8];
  DWORD DDB_Init_Order;
  DWORD DDB_Control_Proc;
  DWORD DDB_V86_API_Proc, DDB_PM_API_Proc, DDB_V86_API_CSIP, DDB_PM_API_CSIP;
  DWORD DDB_Reference_Data, DDB_Service_Table_Ptr, DDB_Service_Table_Size;
  DWORD DDB_Win32_Service_Table, DDB_Prev, DDB_Size, DDB_Reserved1, DDB_Reserved2, DDB_Reserved3;
};
/* DECLARE_VIRTUAL_DEVICE(NAME, "NAME    ", control): NAME_DDB, exported (the loader finds it). */
#define DECLARE_VIRTUAL_DEVICE(name, padded, control)                                                     \
  extern void control(void);                                                                              \
  __attribute__((visibility("default"))) struct VxD_Desc_Block name##_DDB = {                           \
      0, 0x0400, 0, 1, 0, 0, padded, 0x80000000u, (DWORD)control, 0, 0, 0, 0, 0, 0, 0, 0, 0x50726576u, \
      sizeof(struct VxD_Desc_Block), 0, 0, 0}

/* REGISTER_ENTRY(asm_name, c_function): the register convention the VMM calls a control procedure
 * with (DDK "Control procedure": EAX message, EBX VM, EDI thread; carry set = failure) turned into a
 * C call c_function(message, vm, thread), whose non-zero result sets the carry. */
#define CONTROL_ENTRY(asm_name, c_function)                                                               \
  __asm__(".text\n.globl " #asm_name "\n.type " #asm_name ",@function\n" #asm_name ":\n"                   \
          "\tpushl %edi\n\tpushl %ebx\n\tpushl %eax\n\tcall " #c_function "\n\taddl $12, %esp\n"          \
          "\tcmpl $1, %eax\n\tcmc\n\tret\n.size " #asm_name ", .-" #asm_name "\n")
/* EVENT_ENTRY(asm_name, c_function): an event callback (DDK "Call_Priority_VM_Event": EBX VM, EDI
 * thread, EDX reference data, EBP client registers, carry set = timed out) turned into
 * c_function(timed_out, vm, thread, refdata, client_regs). The carry is read first. */
#define EVENT_ENTRY(asm_name, c_function)                                                                 \
  __asm__(".text\n.globl " #asm_name "\n.type " #asm_name ",@function\n" #asm_name ":\n"                   \
          "\tpushl %ebp\n\tpushl %edx\n\tpushl %edi\n\tpushl %ebx\n\tsbbl %eax, %eax\n\tnegl %eax\n"      \
          "\tpushl %eax\n\tcall " #c_function "\n\taddl $20, %esp\n\tret\n.size " #asm_name ", .-" #asm_name "\n")

#endif
