/* vxd_i386.c: the services of vmmsim/vxd.h in the DDK-wrapper forms for a driver built as an i386
 * VxD image, linked into the image with the driver's source (see include/vmmsim/vxd.h beside this
 * file; the VToolsD forms are vxd_i386_vtoolsd.c, the register entries vxd_i386_entries.c). Each service is the DDK's dynalink, INT 20h followed by the dword
 * device << 16 | ordinal (the DDK's VMMCall / VxDCall macros), with the registers the service's DDK
 * page names; the services whose DDK name starts with '_' take C arguments on the stack. The
 * ordinals are VMM.INC's, as src/vxd/service_table.cpp lists them.
 *
 * Callbacks. The VMM enters a callback with its registers (DDK "Call_Priority_VM_Event": EBX VM,
 * EDI thread, EDX reference data, EBP client registers, carry = timed out), and a C callback takes
 * C arguments, so every callback is given to the VMM as one register entry, vmmsim_i386_event_entry,
 * with EDX pointing at a slot that holds the C callback, its kind and the driver's reference data;
 * the entry calls the C callback as its kind takes them. A slot is kept for each distinct (kind,
 * callback, reference data) and reused: a driver has few. Call_When_Idle passes no reference data
 * (DDK "Call_When_Idle": ESI only), so it has no slot to find and is not provided here.
 *
 * Freestanding C (gcc -m32 -ffreestanding -nostdlib): no library. */
#include "vmmsim/vxd.h"
#include "vxd_i386_glue.h"

/* DDK "Get_Cur_VM_Handle", "Get_Sys_VM_Handle": EBX = the VM. "Get_Cur_Thread_Handle": EDI. */
VMHANDLE Get_Cur_VM_Handle(void) {
  DWORD vm;
  __asm__ volatile(VMMCALL(VMM(0x0001)) : "=b"(vm) : : "cc", "memory");
  return (VMHANDLE)vm;
}
VMHANDLE Get_Sys_VM_Handle(void) {
  DWORD vm;
  __asm__ volatile(VMMCALL(VMM(0x0003)) : "=b"(vm) : : "cc", "memory");
  return (VMHANDLE)vm;
}
THREADHANDLE Get_Cur_Thread_Handle(void) {
  DWORD t;
  __asm__ volatile(VMMCALL(VMM(0x0108)) : "=D"(t) : : "cc", "memory");
  return (THREADHANDLE)t;
}
/* DDK "Test_Sys_VM_Handle": EBX = VM; ZF set when it is the System VM. */
BOOL Test_Sys_VM_Handle(VMHANDLE hvm) {
  DWORD fl;
  __asm__ volatile(VMMCALL(VMM(0x0004)) "pushfl\n\tpopl %0" : "=r"(fl) : "b"(hvm) : "cc", "memory");
  return (fl & ZERO) != 0;
}

EVENTHANDLE Call_Restricted_Event(DWORD boost, PVOID handle, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                  DWORD timeout_ms) {
  return PRIORITY_EVENT(0x015A, boost, (DWORD)handle, flags, SLOT(K_EVENT, callback, refdata), timeout_ms);
}
EVENTHANDLE Call_Priority_VM_Event(DWORD boost, VMHANDLE hvm, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                   DWORD timeout_ms) {
  return PRIORITY_EVENT(0x0014, boost, (DWORD)hvm, flags, SLOT(K_EVENT, callback, refdata), timeout_ms);
}
EVENTHANDLE Call_Global_Event(PEVENT_PROC callback, PVOID refdata) {
  return EVENT_GLOBAL(0x0010, SLOT(K_EVENT, callback, refdata));
}
EVENTHANDLE Schedule_Global_Event(PEVENT_PROC callback, PVOID refdata) {
  return EVENT_GLOBAL(0x000E, SLOT(K_EVENT, callback, refdata));
}
EVENTHANDLE Call_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return EVENT_IN(0x0011, "b", hvm, SLOT(K_EVENT, callback, refdata));
}
EVENTHANDLE Schedule_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return EVENT_IN(0x000F, "b", hvm, SLOT(K_EVENT, callback, refdata));
}
EVENTHANDLE Schedule_Thread_Event(THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata) {
  return EVENT_IN(0x00FB, "D", hthread, SLOT(K_EVENT, callback, refdata));
}
/* DDK "Call_When_Not_Critical", "Call_When_VM_Ints_Enabled": ESI callback, EDX reference data. */
VOID Call_When_Not_Critical(PEVENT_PROC callback, PVOID refdata) {
  (void)EVENT_GLOBAL(0x0024, SLOT(K_EVENT, callback, refdata));
}
VOID Call_When_VM_Ints_Enabled(PEVENT_PROC callback, PVOID refdata) {
  (void)EVENT_GLOBAL(0x0019, SLOT(K_EVENT, callback, refdata));
}
TIMEOUTHANDLE Set_Global_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata) {
  return TIME_OUT(0x003C, ms, SLOT(K_EVENT, callback, refdata));
}
TIMEOUTHANDLE Set_Async_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata) {
  return TIME_OUT(0x00FE, ms, SLOT(K_EVENT, callback, refdata));
}
TIMEOUTHANDLE Set_VM_Time_Out(DWORD ms, VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return TIME_OUT_IN(0x003D, ms, "b", hvm, SLOT(K_EVENT, callback, refdata));
}
TIMEOUTHANDLE Set_Thread_Time_Out(DWORD ms, THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata) {
  return TIME_OUT_IN(0x00FD, ms, "D", hthread, SLOT(K_EVENT, callback, refdata));
}

/* DDK "Cancel_Global_Event", "Cancel_Priority_VM_Event", "Cancel_Restricted_Event", "Cancel_Time_Out":
 * ESI = handle; "Cancel_VM_Event" EBX VM too; "Cancel_Thread_Event" EDI thread too. */
VOID Cancel_Global_Event(EVENTHANDLE event) { IN1(0x0012, "S", (DWORD)event); }
VOID Cancel_Priority_VM_Event(EVENTHANDLE event) { IN1(0x0015, "S", (DWORD)event); }
VOID Cancel_Restricted_Event(EVENTHANDLE event) { IN1(0x015B, "S", (DWORD)event); }
VOID Cancel_Time_Out(TIMEOUTHANDLE timeout) { IN1(0x003E, "S", (DWORD)timeout); }
VOID Cancel_VM_Event(VMHANDLE hvm, EVENTHANDLE event) { IN2(0x0013, "b", hvm, "S", (DWORD)event); }
VOID Cancel_Thread_Event(THREADHANDLE hthread, EVENTHANDLE event) { IN2(0x00FC, "D", hthread, "S", (DWORD)event); }

/* DDK "Adjust_Exec_Priority": EAX signed boost, EBX VM; "Adjust_Thread_Exec_Priority": EDI thread. */
VOID Adjust_Exec_Priority(int32_t delta, VMHANDLE hvm) { IN2(0x001E, "a", delta, "b", hvm); }
VOID Adjust_Thread_Exec_Priority(int32_t delta, THREADHANDLE hthread) { IN2(0x0114, "a", delta, "D", hthread); }
/* DDK "Begin_Critical_Section": ECX flags; "Claim_Critical_Section": EAX claims, ECX flags. */
VOID Begin_Critical_Section(DWORD flags) { IN1(0x001F, "c", flags); }
VOID End_Critical_Section(void) { NONE(0x0020); }
VOID Claim_Critical_Section(DWORD count, DWORD flags) { IN2(0x0022, "a", count, "c", flags); }
/* DDK "Get_Crit_Section_Status": EBX owner, ECX claims, carry set at Critical_Section_Boost or above. */
VMHANDLE Get_Crit_Section_Status(DWORD* claims, BOOL* carry) {
  DWORD owner, count, fl;
  __asm__ volatile(VMMCALL(VMM(0x0029)) "pushfl\n\tpopl %2" : "=b"(owner), "=c"(count), "=r"(fl) : : "cc", "memory");
  if (claims) *claims = count;
  if (carry) *carry = (fl & CARRY) != 0;
  return (VMHANDLE)owner;
}
/* DDK "End_Crit_And_Suspend", "Suspend_VM", "Resume_VM": carry set = failed (these return TRUE on
 * success, as vmmsim/vxd.h does). */
BOOL End_Crit_And_Suspend(void) {
  DWORD fl;
  __asm__ volatile(VMMCALL(VMM(0x0021)) "pushfl\n\tpopl %0" : "=r"(fl) : : "cc", "memory");
  return (fl & CARRY) == 0;
}
BOOL Suspend_VM(VMHANDLE hvm) { return CARRY_OF(0x002B, "b", hvm) == 0; }
BOOL Resume_VM(VMHANDLE hvm) { return CARRY_OF(0x002C, "b", hvm) == 0; }
VOID No_Fail_Resume_VM(VMHANDLE hvm) { IN1(0x002D, "b", hvm); }
VOID Wake_Up_VM(VMHANDLE hvm) { IN1(0x0039, "b", hvm); }
VOID Release_Time_Slice(void) { NONE(0x0038); }
VOID Begin_Nest_Exec(void) { NONE(0x0083); }
VOID Exec_Int(DWORD interrupt) { IN1(0x0084, "a", interrupt); }
VOID Resume_Exec(void) { NONE(0x0085); }
VOID End_Nest_Exec(void) { NONE(0x0086); }
/* DDK "Create_Semaphore": ECX tokens; EAX = the semaphore. "Wait_Semaphore": EAX, ECX flags. */
SEMHANDLE Create_Semaphore(int32_t tokens) {
  DWORD sem;
  __asm__ volatile(VMMCALL(VMM(0x0025)) : "=a"(sem) : "c"(tokens) : "cc", "memory");
  return sem;
}
VOID Wait_Semaphore(SEMHANDLE semaphore, DWORD flags) { IN2(0x0027, "a", (DWORD)semaphore, "c", flags); }
VOID Signal_Semaphore(SEMHANDLE semaphore) { IN1(0x0028, "a", (DWORD)semaphore); }
/* DDK "Get_System_Time": EAX = ms. */
DWORD Get_System_Time(void) {
  DWORD ms;
  __asm__ volatile(VMMCALL(VMM(0x003F)) : "=a"(ms) : : "cc", "memory");
  return ms;
}

VOID _BlockOnID(DWORD id, DWORD flags) { (void)C2(VMM(0x00FA), id, flags); }
VOID _SignalID(DWORD id) { (void)C1(VMM(0x0127), id); }
MUTEXHANDLE _CreateMutex(DWORD boost, DWORD flags) { return C2(VMM(0x0101), boost, flags); }
VOID _DestroyMutex(MUTEXHANDLE mutex) { (void)C1(VMM(0x0102), mutex); }
VOID _EnterMutex(MUTEXHANDLE mutex, DWORD flags) { (void)C2(VMM(0x012E), mutex, flags); }
VOID _LeaveMutex(MUTEXHANDLE mutex) { (void)C1(VMM(0x012F), mutex); }
THREADHANDLE _GetMutexOwner(MUTEXHANDLE mutex) { return (THREADHANDLE)C1(VMM(0x0103), mutex); }
/* vmmsim's own: the run's log and ring-3 time (not DDK services). */
VOID vmmsim_log(const char* text) { (void)C1(VMMSIM_SERVICE(0x0001), text); }
VOID vmmsim_ring3(DWORD us) { (void)C1(VMMSIM_SERVICE(0x0002), us); }
/* VMMSIM_VXD_STATE names a shared object's globals for explore --reduce; the emulator does not
 * fingerprint an image's memory (explore --reduce refuses images, docs/model.md "Emulated VxD
 * images"), so there is nothing to name it to. */
VOID vmmsim_vxd_state(const void* state, DWORD size) {
  (void)state;
  (void)size;
}

