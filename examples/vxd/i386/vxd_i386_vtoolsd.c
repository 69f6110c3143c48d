/* vxd_i386_vtoolsd.c: the VToolsD forms of vmmsim/vxd_vtoolsd.h for a driver built as an i386
 * image (see vxd_i386.c): the same dynalinks and callback slots as the DDK-wrapper forms, in
 * VToolsD's argument order and handler types. The thunk VToolsD's glue lives in is not needed (the
 * slot is the glue) and may be NULL, as vmmsim/vxd_vtoolsd.h allows. */
#include "vmmsim/vtoolsd.h"
#include "vxd_i386_glue.h"

EVENTHANDLE vmmsim_vtd_Call_Restricted_Event(DWORD boost, CONST VOID* handle, DWORD flags, CONST VOID* refdata,
                                             PRestrictedEvent_HANDLER callback, DWORD timeout,
                                             PRestrictedEvent_THUNK thunk) {
  (void)thunk;
  return PRIORITY_EVENT(0x015A, boost, (DWORD)handle, flags, SLOT(K_EVENT, callback, refdata), timeout);
}
EVENTHANDLE vmmsim_vtd_Call_Priority_VM_Event(DWORD boost, VMHANDLE hvm, DWORD flags, CONST VOID* refdata,
                                              PPriorityVMEvent_HANDLER callback, DWORD timeout,
                                              PPriorityVMEvent_THUNK thunk) {
  (void)thunk;
  return PRIORITY_EVENT(0x0014, boost, (DWORD)hvm, flags, SLOT(K_VTD_PRIORITY, callback, refdata),
                        timeout);
}
EVENTHANDLE vmmsim_vtd_Call_Global_Event(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK thunk) {
  (void)thunk;
  return EVENT_GLOBAL(0x0010, SLOT(K_VTD_EVENT, callback, refdata));
}
EVENTHANDLE vmmsim_vtd_Schedule_Global_Event(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK thunk) {
  (void)thunk;
  return EVENT_GLOBAL(0x000E, SLOT(K_VTD_EVENT, callback, refdata));
}
EVENTHANDLE vmmsim_vtd_Call_VM_Event(VMHANDLE hvm, PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK thunk) {
  (void)thunk;
  return EVENT_IN(0x0011, "b", hvm, SLOT(K_VTD_EVENT, callback, refdata));
}
EVENTHANDLE vmmsim_vtd_Schedule_VM_Event(VMHANDLE hvm, PEvent_HANDLER callback, CONST VOID* refdata,
                                         PEvent_THUNK thunk) {
  (void)thunk;
  return EVENT_IN(0x000F, "b", hvm, SLOT(K_VTD_EVENT, callback, refdata));
}
EVENTHANDLE vmmsim_vtd_Schedule_Thread_Event(THREADHANDLE hthread, PThreadEvent_HANDLER callback,
                                             CONST VOID* refdata, PThreadEvent_THUNK thunk) {
  (void)thunk;
  return EVENT_IN(0x00FB, "D", hthread, SLOT(K_EVENT, callback, refdata));
}
VOID vmmsim_vtd_Call_When_Not_Critical(CONST VOID* refdata, PEvent_HANDLER callback, PEvent_THUNK thunk) {
  (void)thunk;
  (void)EVENT_GLOBAL(0x0024, SLOT(K_VTD_EVENT, callback, refdata));
}
VOID vmmsim_vtd_Call_When_VM_Ints_Enabled(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK thunk) {
  (void)thunk;
  (void)EVENT_GLOBAL(0x0019, SLOT(K_VTD_EVENT, callback, refdata));
}
TIMEOUTHANDLE vmmsim_vtd_Set_Global_Time_Out(DWORD ms, CONST VOID* refdata, PTIMEOUT_HANDLER callback,
                                             PTIMEOUT_THUNK thunk) {
  (void)thunk;
  return TIME_OUT(0x003C, ms, SLOT(K_VTD_TIMEOUT, callback, refdata));
}
TIMEOUTHANDLE vmmsim_vtd_Set_VM_Time_Out(DWORD ms, VMHANDLE hvm, CONST VOID* refdata, PTIMEOUT_HANDLER callback,
                                         PTIMEOUT_THUNK thunk) {
  (void)thunk;
  return TIME_OUT_IN(0x003D, ms, "b", hvm, SLOT(K_VTD_TIMEOUT, callback, refdata));
}
TIMEOUTHANDLE vmmsim_vtd_Set_Thread_Time_Out(DWORD ms, THREADHANDLE hthread, CONST VOID* refdata,
                                             PTHREADTIMEOUT_HANDLER callback, PTHREADTIMEOUT_THUNK thunk) {
  (void)thunk;
  return TIME_OUT_IN(0x00FD, ms, "D", hthread, SLOT(K_VTD_THREAD_TO, callback, refdata));
}
TIMEOUTHANDLE vmmsim_vtd_Set_Async_Time_Out(DWORD ms, CONST VOID* refdata, PASYNCTIMEOUT_HANDLER callback,
                                            PASYNCTIMEOUT_THUNK thunk) {
  (void)thunk;
  return TIME_OUT(0x00FE, ms, SLOT(K_VTD_ASYNC_TO, callback, refdata));
}
