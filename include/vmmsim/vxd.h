/* vmmsim/vxd.h: the VMM's services for VxD code written in C, in the DDK-wrapper calling forms
 * (arguments in the DDK's register order, as the C wrappers of the Windows 95 DDK's VMM.H and
 * public VxD sources write them), so a driver's event and blocking logic compiles unchanged
 * against vmmsim and runs under the simulated VMM's rules.
 *
 * C99 (and C++): no C++ header is pulled in. Types: VMHANDLE / HVM, THREADHANDLE, the handles of
 * events, time-outs, semaphores and mutexes, DWORD, BOOL, PVOID, a CLIENT_REG_STRUCT. Every
 * constant by its DDK name and value. Calling-convention keywords and VxD segment macros compile
 * to nothing.
 *
 * Two calling forms of the services that take a callback, chosen at compile time: the DDK-wrapper
 * forms (the default, below) and the VToolsD forms (define VMMSIM_VTOOLSD first, or include
 * vmmsim/vtoolsd.h: see vmmsim/vxd_vtoolsd.h). In the DDK-wrapper forms event callbacks have the form
 *     VOID __stdcall callback(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs)
 * where hvm and hthread are where it runs (DDK: EBX, EDI) and refdata what was given (EDX). The
 * DDK hands a timed-out event's callback the carry flag set (DDK "Call_Restricted_Event",
 * PEF_Time_Out); C code cannot read its own flags, so here the carry is bit 0 (CF_MASK) of
 * pcrs->Client_EFlags.
 *
 * A misused service, or the run ending while a driver thread is inside one, cannot unwind through
 * C frames: the service ends the run with the error (outcome error, exit 1) and leaves the thread
 * without returning, as the Lua binding does. A crash in driver code (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL in a control procedure, a function a scenario calls, or a callback) ends the run the same
 * way, with an error naming the driver and the control message, function or service it was in. */
#ifndef VMMSIM_VXD_H
#define VMMSIM_VXD_H

#include <stddef.h> /* NULL, as the DDK headers give it */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- What VxD sources wrap their code in: nothing here. ------------------------------------ */
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef VXDINLINE
#define VXDINLINE static inline
#endif
#define VxD_LOCKED_CODE_SEG
#define VxD_LOCKED_DATA_SEG
#define VxD_PAGEABLE_CODE_SEG
#define VxD_PAGEABLE_DATA_SEG
#define VxD_INIT_CODE_SEG
#define VxD_INIT_DATA_SEG
#define VxD_ICODE_SEG
#define VxD_IDATA_SEG
#define VxD_CODE_ENDS
#define VxD_DATA_ENDS

/* --- Types ------------------------------------------------------------------------------------ */
typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef uint8_t BYTE;
typedef int BOOL;
typedef void VOID;
typedef void* PVOID;
typedef struct vmmsim_vm* VMHANDLE;
typedef VMHANDLE HVM;
typedef struct vmmsim_thread* THREADHANDLE;
typedef uint64_t EVENTHANDLE;   /* 0: the callback ran at once (or "no event" for Cancel_*) */
typedef uint64_t TIMEOUTHANDLE;
typedef uint64_t SEMHANDLE;
typedef uint64_t MUTEXHANDLE;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* CLIENT_REG_STRUCT: the client registers a callback receives (DDK Client_Reg_Struc order). The
 * simulator keeps no client state: every field is 0 except Client_EFlags's CF_MASK bit. */
typedef struct {
  DWORD Client_EDI, Client_ESI, Client_EBP, Client_res0;
  DWORD Client_EBX, Client_EDX, Client_ECX, Client_EAX;
  DWORD Client_Error, Client_EIP;
  WORD Client_CS, Client_res1;
  DWORD Client_EFlags, Client_ESP;
  WORD Client_SS, Client_res2, Client_ES, Client_res3, Client_DS, Client_res4, Client_FS, Client_res5, Client_GS,
      Client_res6;
} CLIENT_REG_STRUCT;
typedef CLIENT_REG_STRUCT CLIENT_STRUCT;
typedef CLIENT_STRUCT* PCLIENT_STRUCT;
enum { CF_MASK = 0x0001 };

typedef VOID(__stdcall* PEVENT_PROC)(VMHANDLE hvm, THREADHANDLE hthread, PVOID refdata, PCLIENT_STRUCT pcrs);
/* Call_When_Idle: return TRUE when the idle time was used (the DDK's carry clear). */
typedef BOOL(__stdcall* PIDLE_PROC)(VMHANDLE hvm, THREADHANDLE hthread);

/* --- Constants (DDK values) --------------------------------------------------------------------- */
enum {
  PEF_Wait_For_STI = 0x00000001,
  PEF_Wait_Not_Crit = 0x00000002,
  PEF_Dont_Unboost = 0x00000004,
  PEF_Always_Sched = 0x00000008,
  PEF_Time_Out = 0x00000010,
  PEF_Wait_Not_HW_Int = 0x00000020,
  PEF_Wait_Not_Time_Crit = 0x00000020,
  PEF_Wait_Not_Nested_Exec = 0x00000040,
  PEF_Wait_In_PM = 0x00000080,
  PEF_Thread_Event = 0x00000100,
  PEF_Wait_For_Thread_STI = 0x00000200,
  PEF_Ring0_Event = 0x00000400,
  PEF_Wait_Crit = 0x00000800,
  PEF_Wait_Crit_VM = 0x00001000,
  PEF_Process_Last = 0x00002000,

  Block_Svc_Ints = 0x01,
  Block_Svc_If_Ints_Locked = 0x02,
  Block_Enable_Ints = 0x04,
  Block_Poll = 0x08,
  Block_Thread_Idle = 0x10,
  Block_Force_Svc_Ints = 0x20,

  Reserved_Low_Boost = 0x00000001,
  Cur_Run_VM_Boost = 0x00000004,
  Low_Pri_Device_Boost = 0x00000010,
  High_Pri_Device_Boost = 0x00001000,
  Critical_Section_Boost = 0x00100000,
  Time_Critical_Boost = 0x00400000,
  Reserved_High_Boost = 0x40000000,

  MUTEX_MUST_COMPLETE = 0x00000001,
  MUTEX_NO_CLEANUP_THREAD_STATE = 0x00000002
};

/* --- Cancelling events (both families) ------------------------------------------------------------ */
VOID Cancel_Restricted_Event(EVENTHANDLE event);
VOID Cancel_Priority_VM_Event(EVENTHANDLE event);
VOID Cancel_Global_Event(EVENTHANDLE event);
VOID Cancel_VM_Event(VMHANDLE hvm, EVENTHANDLE event);
VOID Cancel_Thread_Event(THREADHANDLE hthread, EVENTHANDLE event);

/* --- Priorities, the critical section, blocking -------------------------------------------------- */
VOID Adjust_Exec_Priority(int32_t delta, VMHANDLE hvm);
VOID Adjust_Thread_Exec_Priority(int32_t delta, THREADHANDLE hthread);
VOID Begin_Critical_Section(DWORD flags);
VOID End_Critical_Section(void);
VOID Claim_Critical_Section(DWORD count, DWORD flags);
/* Get_Crit_Section_Status: the owner VM (the current VM when unowned); *claims and *carry (the
 * current priority >= Critical_Section_Boost) when not NULL. */
VMHANDLE Get_Crit_Section_Status(DWORD* claims, BOOL* carry);
BOOL End_Crit_And_Suspend(void);
VOID _BlockOnID(DWORD id, DWORD flags);
VOID _SignalID(DWORD id);
SEMHANDLE Create_Semaphore(int32_t tokens);
VOID Wait_Semaphore(SEMHANDLE semaphore, DWORD flags);
VOID Signal_Semaphore(SEMHANDLE semaphore);
MUTEXHANDLE _CreateMutex(DWORD boost, DWORD flags);
VOID _DestroyMutex(MUTEXHANDLE mutex);
VOID _EnterMutex(MUTEXHANDLE mutex, DWORD flags);
VOID _LeaveMutex(MUTEXHANDLE mutex);
THREADHANDLE _GetMutexOwner(MUTEXHANDLE mutex);

/* --- VMs, the time slicer, nested execution ---------------------------------------------------------- */
BOOL Suspend_VM(VMHANDLE hvm);
BOOL Resume_VM(VMHANDLE hvm);
VOID No_Fail_Resume_VM(VMHANDLE hvm);
VOID Release_Time_Slice(void);
VOID Wake_Up_VM(VMHANDLE hvm);
VOID Begin_Nest_Exec(void);
VOID Resume_Exec(void);
VOID Exec_Int(DWORD interrupt);
VOID End_Nest_Exec(void);

/* --- Time-outs and time ------------------------------------------------------------------------------- */
VOID Cancel_Time_Out(TIMEOUTHANDLE timeout);
DWORD Get_System_Time(void);

/* --- The services that take a callback ---------------------------------------------------------------
 * Two calling forms exist in public VxD code; a driver picks one at compile time. By default the
 * DDK-wrapper forms below. With VMMSIM_VTOOLSD defined before this header (or with
 * #include "vmmsim/vtoolsd.h"), the VToolsD forms of vmmsim/vxd_vtoolsd.h instead: a trailing thunk
 * argument and a callback type per service (RestrictedEvent_HANDLER, TIMEOUT_HANDLER, ...). */
#ifndef VMMSIM_VTOOLSD
/* Events (DDK "Call_Restricted_Event", "Call_Priority_VM_Event" and the event services).
 * handle: 0 for a global event, a VMHANDLE, or (with PEF_Thread_Event) a THREADHANDLE. */
EVENTHANDLE Call_Restricted_Event(DWORD boost, PVOID handle, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                  DWORD timeout_ms);
EVENTHANDLE Call_Priority_VM_Event(DWORD boost, VMHANDLE hvm, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                   DWORD timeout_ms);
EVENTHANDLE Call_Global_Event(PEVENT_PROC callback, PVOID refdata);
EVENTHANDLE Schedule_Global_Event(PEVENT_PROC callback, PVOID refdata);
EVENTHANDLE Call_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata);
EVENTHANDLE Schedule_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata);
EVENTHANDLE Schedule_Thread_Event(THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata);
VOID Call_When_Not_Critical(PEVENT_PROC callback, PVOID refdata);
VOID Call_When_VM_Ints_Enabled(PEVENT_PROC callback, PVOID refdata);
VOID Call_When_Idle(PIDLE_PROC callback);
/* Time-outs (DDK "Set_Global_Time_Out" and the other time-out services). */
TIMEOUTHANDLE Set_Global_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata);
TIMEOUTHANDLE Set_VM_Time_Out(DWORD ms, VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata);
TIMEOUTHANDLE Set_Thread_Time_Out(DWORD ms, THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata);
TIMEOUTHANDLE Set_Async_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata);
#else
#include "vmmsim/vxd_vtoolsd.h"
#endif

/* --- Handles ---------------------------------------------------------------------------------------------- */
VMHANDLE Get_Cur_VM_Handle(void);
VMHANDLE Get_Sys_VM_Handle(void);
THREADHANDLE Get_Cur_Thread_Handle(void);
BOOL Test_Sys_VM_Handle(VMHANDLE hvm);

/* --- A driver: its Device Control Procedure and DDB ------------------------------------------------
 * vmmsim sends the control messages at the moments the VMM does (docs: the C interface):
 * Sys_Critical_Init, Device_Init, Init_Complete, then Sys_VM_Init before any thread runs;
 * Create_VM, VM_Critical_Init, VM_Init for each other VM; Create_Thread (in the creator's context)
 * and Thread_Init (in the new thread's, before its body) for each thread; Terminate_Thread,
 * Thread_Not_Executeable, Destroy_Thread as a thread ends; VM_Terminate, VM_Not_Executeable,
 * Destroy_VM when a VM's thread has ended; when the run ends, after its last thread (in no thread:
 * the procedure may not call VMM services then), Sys_VM_Terminate (only for a run that finished),
 * System_Exit and Sys_Critical_Exit, the order of the VMM's shutdown. The procedure returns 0 for success (carry clear) and
 * anything else for failure (carry set), which the log reports. */
enum {
  Sys_Critical_Init = 0x0000,
  Device_Init = 0x0001,
  Init_Complete = 0x0002,
  Sys_VM_Init = 0x0003,
  Sys_VM_Terminate = 0x0004,
  System_Exit = 0x0005,
  Sys_Critical_Exit = 0x0006,
  Create_VM = 0x0007,
  VM_Critical_Init = 0x0008,
  VM_Init = 0x0009,
  VM_Terminate = 0x000A,
  VM_Not_Executeable = 0x000B,
  Destroy_VM = 0x000C,
  Create_Thread = 0x001D,
  Thread_Init = 0x001E,
  Terminate_Thread = 0x001F,
  Thread_Not_Executeable = 0x0020,
  Destroy_Thread = 0x0021
};
#ifdef VMMSIM_VTOOLSD
enum { /* VToolsD's spellings */
  SYS_CRITICAL_INIT = Sys_Critical_Init,
  DEVICE_INIT = Device_Init,
  INIT_COMPLETE = Init_Complete,
  SYS_VM_INIT = Sys_VM_Init,
  SYS_VM_TERMINATE = Sys_VM_Terminate,
  SYSTEM_EXIT = System_Exit,
  SYS_CRITICAL_EXIT = Sys_Critical_Exit,
  CREATE_VM = Create_VM,
  VM_CRITICAL_INIT = VM_Critical_Init,
  VM_INIT = VM_Init,
  VM_TERMINATE = VM_Terminate,
  VM_NOT_EXECUTEABLE = VM_Not_Executeable,
  DESTROY_VM = Destroy_VM,
  CREATE_THREAD = Create_Thread,
  THREAD_INIT = Thread_Init,
  TERMINATE_THREAD = Terminate_Thread,
  THREAD_NOT_EXECUTEABLE = Thread_Not_Executeable,
  DESTROY_THREAD = Destroy_Thread
};
#endif
typedef DWORD(__stdcall* PCONTROL_PROC)(DWORD message, VMHANDLE hvm, THREADHANDLE hthread);
typedef struct {
  const char* name;       /* the device name, 8 characters at most in the DDK */
  PCONTROL_PROC control;  /* its Device Control Procedure */
} VMMSIM_DDB;
/* VMMSIM_DECLARE_VXD: the DDB of the driver a shared object holds (vmm.load_vxd finds it). */
#ifdef __cplusplus
#define VMMSIM_DECLARE_VXD(name, control_proc) \
  extern "C" __attribute__((visibility("default"))) const VMMSIM_DDB vmmsim_ddb = {name, control_proc};
#else
#define VMMSIM_DECLARE_VXD(name, control_proc) \
  __attribute__((visibility("default"))) const VMMSIM_DDB vmmsim_ddb = {name, control_proc};
#endif

/* VMMSIM_VXD_STATE: the driver's state for `explore --reduce`. A shared object's globals are out of
 * vmmsim's sight, so exploring a scenario that loads a driver with state matching is refused unless
 * the driver names every variable that holds its state, from its control procedure (Sys_Critical_Init
 * or Device_Init): their bytes are then part of each state fingerprint. Pointers in them are hashed
 * as numbers: name what they point to too. Not a DDK service. */
VOID vmmsim_vxd_state(const void* state, DWORD size);
#define VMMSIM_VXD_STATE(variable) vmmsim_vxd_state(&(variable), (DWORD)sizeof(variable))

/* --- The simulation (not DDK services): what the driver's thread does between service calls. ------- */
VOID vmmsim_ring3(DWORD us);   /* ring-3 execution for us microseconds: a processing point first */
VOID vmmsim_log(const char* text);

#ifdef __cplusplus
}
#endif

#endif /* VMMSIM_VXD_H */
