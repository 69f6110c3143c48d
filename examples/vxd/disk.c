/* disk.c: a disk-style driver's deferred unmount, in the VToolsD calling forms, after the pattern
 * of PGPdisk's VxD (its UnmountAllPGPdisksSafely and ScheduleAsyncCallback): the auto-unmount
 * timer does not unmount at interrupt time but schedules the unmount "at a safe time" with
 * Call_Restricted_Event(0, NULL, PEF_WAIT_NOT_CRIT, ..., &thunk), and a finished disk request is
 * called back up from an event scheduled with PEF_ALWAYS_SCHED.
 *
 * The bug: the unmount assumes that waiting until the critical section is free (PEF_Wait_Not_Crit)
 * waits for the I/O path too. The application holds the critical section only while it issues the
 * request; the completion runs later, as its own event. When the disk interrupt and the unmount
 * timer come at the same instant, nothing orders them, nor the events they schedule (the VMM's
 * "Event Processing" promises no order either). In creation order the completion runs first and
 * all is well; the other way round the volume is gone when the completion comes, and the request
 * fails.
 *
 * The fix (built with -DDISK_FIXED as libdisk_fixed.so): the unmount refuses while a request is
 * outstanding and the completion performs the unmount it deferred, so either order works. */
#include "vmmsim/vtoolsd.h"

#include LOCKED_DATA_SEGMENT

#define REQUEST_DONE_ID 0x4449534Bu /* 'DISK': the ID the application blocks on */

static BOOL mounted;
static BOOL outstanding;       /* a request was issued and is not complete */
static BOOL unmount_deferred;  /* the fix: an unmount waits for the outstanding request */
static DWORD status;           /* of the last request: 1 done, 2 failed (volume gone) */

#include LOCKED_CODE_SEGMENT

static void unmount(void) {
  mounted = FALSE;
  vmmsim_log("DISK: volume unmounted");
}

/* The unmount, at a safe time. */
static VOID __stdcall UnmountCallback(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  (void)hThread;
  (void)Refdata;
  (void)pRegs;
#ifdef DISK_FIXED
  if (outstanding) {
    unmount_deferred = TRUE; /* the completion unmounts */
    vmmsim_log("DISK: unmount deferred: a request is outstanding");
    return;
  }
#endif
  unmount();
}

/* The request's completion, called back up as an event. */
static VOID __stdcall CompletionCallback(VMHANDLE hVM, THREADHANDLE hThread, PVOID Refdata, PCLIENT_STRUCT pRegs) {
  (void)hVM;
  (void)hThread;
  (void)Refdata;
  (void)pRegs;
  status = mounted ? 1 : 2;
  vmmsim_log(mounted ? "DISK: request complete" : "DISK: request failed: the volume is gone");
  outstanding = FALSE;
  _SignalID(REQUEST_DONE_ID);
#ifdef DISK_FIXED
  if (unmount_deferred) {
    unmount_deferred = FALSE;
    unmount();
  }
#endif
}

/* OnDiskIrq: the controller's interrupt: the request is done; call it back up at a safe time. */
DWORD OnDiskIrq(void) {
  static RestrictedEvent_THUNK completionThunk;
  Call_Restricted_Event(0, NULL, PEF_ALWAYS_SCHED, NULL, CompletionCallback, 0, &completionThunk);
  return 0;
}

/* OnUnmountTimer: the auto-unmount timer's tick: unmount at a safe time. */
DWORD OnUnmountTimer(void) {
  static RestrictedEvent_THUNK unmountThunk;
  Call_Restricted_Event(0, NULL, PEF_WAIT_NOT_CRIT, NULL, UnmountCallback, 0, &unmountThunk);
  return 0;
}

/* ReadSector: from the application's thread: issue the request inside the critical section, then
 * wait for the completion, servicing events. Returns 1 when the data came, 2 when it failed. */
DWORD ReadSector(void) {
  if (!mounted) return 2;
  Begin_Critical_Section(0);
  outstanding = TRUE;
  vmmsim_ring3(500); /* programs the controller */
  End_Critical_Section();
  while (outstanding) _BlockOnID(REQUEST_DONE_ID, BLOCK_SVC_INTS);
  return status;
}

DWORD Mounted(void) { return mounted ? 1 : 0; }

#include INIT_CODE_SEGMENT

static DWORD __stdcall ControlProc(DWORD message, VMHANDLE hVM, THREADHANDLE hThread) {
  (void)hVM;
  (void)hThread;
  if (message == DEVICE_INIT) {
    mounted = TRUE;
    outstanding = unmount_deferred = FALSE;
    status = 0;
    VMMSIM_VXD_STATE(mounted);
    VMMSIM_VXD_STATE(outstanding);
    VMMSIM_VXD_STATE(unmount_deferred);
    VMMSIM_VXD_STATE(status);
  }
  return 0;
}

VMMSIM_DECLARE_VXD("PGPDISK", ControlProc)
