/* vmmsim/vxd_vtoolsd.h: the VToolsD calling forms of the services that take a callback, for
 * drivers written against Compuware's VToolsD headers (vmmsim/vxd.h includes this file when
 * VMMSIM_VTOOLSD is defined before it; vmmsim/vtoolsd.h does both). Not to be included alone.
 *
 * In this family every such service takes a trailing thunk (storage VToolsD's glue code lives in,
 * e.g. `static RestrictedEvent_THUNK thunk; Call_Restricted_Event(..., &thunk)`), and each kind
 * of callback has its own type, declared with VToolsD's DeclareThunk pattern (X_HANDLER, PX_HANDLER,
 * X_THUNK, PX_THUNK). Here the glue is vmmsim's, so the thunk is accepted and not written (it may
 * be NULL, as VToolsD's class library passes it). Reference data is `CONST VOID *`, as there.
 *
 * The carry flag (DDK: set when a PEF_Time_Out event's time-out expired first) as this family
 * exposes it: PriorityVMEvent_HANDLER gets the processor flags as its Flags argument (CF_MASK set:
 * timed out); RestrictedEvent_HANDLER and ThreadEvent_HANDLER have no flags argument, so, as in the
 * DDK-wrapper forms, it is CF_MASK in pRegs->Client_EFlags. TIMEOUT_HANDLER's Extra (how late the
 * time-out is, in ms) is 0.
 *
 * The constants under VToolsD's upper-case spellings (PEF_WAIT_NOT_CRIT, BLOCK_SVC_INTS,
 * HIGH_PRI_DEVICE_BOOST, DEVICE_INIT, ...) are here too, and its segment includes
 * (`#include LOCKED_CODE_SEGMENT`) compile to nothing.
 *
 * The C names are macros for vmmsim_vtd_* functions, so that both families can be linked into one
 * program (the VMM has one Call_Restricted_Event; C has no overloading). */
#ifndef VMMSIM_VXD_VTOOLSD_H
#define VMMSIM_VXD_VTOOLSD_H

#ifndef VMMSIM_VXD_H
#error "include vmmsim/vtoolsd.h, or define VMMSIM_VTOOLSD and include vmmsim/vxd.h"
#endif

#ifndef CONST
#define CONST const
#endif

/* DeclareThunk (VToolsD vthunks.h): the handler's pointer type and a thunk of tsize DWORDs. */
#define DeclareThunk(name, tsize)              \
  typedef name##_HANDLER* P##name##_HANDLER; \
  typedef DWORD name##_THUNK[tsize];         \
  typedef name##_THUNK* P##name##_THUNK;

typedef VOID __stdcall Event_HANDLER(VMHANDLE hVM, PVOID Refdata, PCLIENT_STRUCT pRegs);
DeclareThunk(Event, 3)
typedef VOID __stdcall PriorityVMEvent_HANDLER(VMHANDLE hVM, PVOID Refdata, PCLIENT_STRUCT pRegs, DWORD Flags);
DeclareThunk(PriorityVMEvent, 3)
typedef VOID __stdcall RestrictedEvent_HANDLER(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata,
                                               PCLIENT_STRUCT pRegs);
DeclareThunk(RestrictedEvent, 3)
typedef VOID __stdcall ThreadEvent_HANDLER(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata, PCLIENT_STRUCT pRegs);
DeclareThunk(ThreadEvent, 3)
typedef VOID __stdcall TIMEOUT_HANDLER(VMHANDLE hVM, PCLIENT_STRUCT pRegs, PVOID refdata, DWORD Extra);
DeclareThunk(TIMEOUT, 3)
typedef VOID __stdcall THREADTIMEOUT_HANDLER(THREADHANDLE hThread, VMHANDLE hVM, PCLIENT_STRUCT pRegs, PVOID refdata,
                                             DWORD Extra);
DeclareThunk(THREADTIMEOUT, 3)
typedef VOID __stdcall ASYNCTIMEOUT_HANDLER(PVOID refdata, DWORD Extra);
DeclareThunk(ASYNCTIMEOUT, 3)
/* Idle_HANDLER: return TRUE when the idle time was used (the DDK's carry clear), as PIDLE_PROC. */
typedef BOOL __stdcall Idle_HANDLER(VMHANDLE hVM, PCLIENT_STRUCT pRegs);
DeclareThunk(Idle, 4)

/* The services, in VToolsD's argument order (note Call_When_Not_Critical's: refdata first). */
EVENTHANDLE vmmsim_vtd_Call_Restricted_Event(DWORD PriorityBoost, CONST VOID* handle, DWORD Flags, CONST VOID* Refdata,
                                             PRestrictedEvent_HANDLER EventCallback, DWORD Timeout,
                                             PRestrictedEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Call_Priority_VM_Event(DWORD PriorityBoost, VMHANDLE hVM, DWORD Flags, CONST VOID* Refdata,
                                              PPriorityVMEvent_HANDLER EventCallback, DWORD Timeout,
                                              PPriorityVMEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Call_Global_Event(PEvent_HANDLER EventCallback, CONST VOID* Refdata, PEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Schedule_Global_Event(PEvent_HANDLER EventCallback, CONST VOID* Refdata, PEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Call_VM_Event(VMHANDLE hVM, PEvent_HANDLER EventCallback, CONST VOID* Refdata,
                                     PEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Schedule_VM_Event(VMHANDLE hVM, PEvent_HANDLER EventCallback, CONST VOID* Refdata,
                                         PEvent_THUNK pThunk);
EVENTHANDLE vmmsim_vtd_Schedule_Thread_Event(THREADHANDLE hThread, PThreadEvent_HANDLER EventCallback,
                                             CONST VOID* Refdata, PThreadEvent_THUNK pThunk);
VOID vmmsim_vtd_Call_When_Not_Critical(CONST VOID* Refdata, PEvent_HANDLER Callback, PEvent_THUNK pThunk);
VOID vmmsim_vtd_Call_When_VM_Ints_Enabled(PEvent_HANDLER Callback, CONST VOID* Refdata, PEvent_THUNK pThunk);
BOOL vmmsim_vtd_Call_When_Idle(PIdle_HANDLER IdleCallback, PIdle_THUNK pThunk); /* TRUE: installed */
TIMEOUTHANDLE vmmsim_vtd_Set_Global_Time_Out(DWORD Time, CONST VOID* Refdata, PTIMEOUT_HANDLER TimeoutCallback,
                                             PTIMEOUT_THUNK pThunk);
TIMEOUTHANDLE vmmsim_vtd_Set_VM_Time_Out(DWORD Time, VMHANDLE hVM, CONST VOID* Refdata,
                                         PTIMEOUT_HANDLER TimeoutCallback, PTIMEOUT_THUNK pThunk);
TIMEOUTHANDLE vmmsim_vtd_Set_Thread_Time_Out(DWORD Time, THREADHANDLE hThread, CONST VOID* Refdata,
                                             PTHREADTIMEOUT_HANDLER TimeoutCallback, PTHREADTIMEOUT_THUNK pThunk);
TIMEOUTHANDLE vmmsim_vtd_Set_Async_Time_Out(DWORD Time, CONST VOID* Refdata, PASYNCTIMEOUT_HANDLER TimeoutCallback,
                                            PASYNCTIMEOUT_THUNK pThunk);

#ifndef VMMSIM_VTOOLSD_NO_NAMES
#define Call_Restricted_Event vmmsim_vtd_Call_Restricted_Event
#define Call_Priority_VM_Event vmmsim_vtd_Call_Priority_VM_Event
#define Call_Global_Event vmmsim_vtd_Call_Global_Event
#define Schedule_Global_Event vmmsim_vtd_Schedule_Global_Event
#define Call_VM_Event vmmsim_vtd_Call_VM_Event
#define Schedule_VM_Event vmmsim_vtd_Schedule_VM_Event
#define Schedule_Thread_Event vmmsim_vtd_Schedule_Thread_Event
#define Call_When_Not_Critical vmmsim_vtd_Call_When_Not_Critical
#define Call_When_VM_Ints_Enabled vmmsim_vtd_Call_When_VM_Ints_Enabled
#define Call_When_Idle vmmsim_vtd_Call_When_Idle
#define Set_Global_Time_Out vmmsim_vtd_Set_Global_Time_Out
#define Set_VM_Time_Out vmmsim_vtd_Set_VM_Time_Out
#define Set_Thread_Time_Out vmmsim_vtd_Set_Thread_Time_Out
#define Set_Async_Time_Out vmmsim_vtd_Set_Async_Time_Out
#endif

/* VToolsD's spellings of the constants. */
enum {
  PEF_WAIT_FOR_STI = PEF_Wait_For_STI,
  PEF_WAIT_NOT_CRIT = PEF_Wait_Not_Crit,
  PEF_DONT_UNBOOST = PEF_Dont_Unboost,
  PEF_ALWAYS_SCHED = PEF_Always_Sched,
  PEF_TIME_OUT = PEF_Time_Out,
  PEF_WAIT_NOT_HW_INT = PEF_Wait_Not_HW_Int,
  PEF_WAIT_NOT_TIME_CRIT = PEF_Wait_Not_Time_Crit,
  PEF_WAIT_NOT_NESTED_EXEC = PEF_Wait_Not_Nested_Exec,
  PEF_WAIT_IN_PM = PEF_Wait_In_PM,
  PEF_THREAD_EVENT = PEF_Thread_Event,
  PEF_WAIT_FOR_THREAD_STI = PEF_Wait_For_Thread_STI,
  PEF_RING0_EVENT = PEF_Ring0_Event,
  PEF_WAIT_CRIT = PEF_Wait_Crit,
  PEF_WAIT_CRIT_VM = PEF_Wait_Crit_VM,
  PEF_PROCESS_LAST = PEF_Process_Last,
  BLOCK_SVC_INTS = Block_Svc_Ints,
  BLOCK_SVC_IF_INTS_LOCKED = Block_Svc_If_Ints_Locked,
  BLOCK_ENABLE_INTS = Block_Enable_Ints,
  BLOCK_POLL = Block_Poll,
  BLOCK_THREAD_IDLE = Block_Thread_Idle,
  BLOCK_FORCE_SVC_INTS = Block_Force_Svc_Ints,
  RESERVED_LOW_BOOST = Reserved_Low_Boost,
  CUR_RUN_VM_BOOST = Cur_Run_VM_Boost,
  LOW_PRI_DEVICE_BOOST = Low_Pri_Device_Boost,
  HIGH_PRI_DEVICE_BOOST = High_Pri_Device_Boost,
  CRITICAL_SECTION_BOOST = Critical_Section_Boost,
  TIME_CRITICAL_BOOST = Time_Critical_Boost,
  RESERVED_HIGH_BOOST = Reserved_High_Boost
};

/* Segment includes (`#include LOCKED_CODE_SEGMENT`): an empty header. */
#define LOCKED_CODE_SEGMENT "vmmsim/vxd_segment.h"
#define LOCKED_DATA_SEGMENT "vmmsim/vxd_segment.h"
#define INIT_CODE_SEGMENT "vmmsim/vxd_segment.h"
#define INIT_DATA_SEGMENT "vmmsim/vxd_segment.h"
#define PAGEABLE_CODE_SEGMENT "vmmsim/vxd_segment.h"
#define PAGEABLE_DATA_SEGMENT "vmmsim/vxd_segment.h"
#define STATIC_CODE_SEGMENT "vmmsim/vxd_segment.h"
#define STATIC_DATA_SEGMENT "vmmsim/vxd_segment.h"
#define DEBUG_CODE_SEGMENT "vmmsim/vxd_segment.h"
#define DEBUG_DATA_SEGMENT "vmmsim/vxd_segment.h"

#endif /* VMMSIM_VXD_VTOOLSD_H */
