/* stateless_vxd.c: a test driver with a global it does not name with VMMSIM_VXD_STATE, so explore
 * --reduce must refuse a scenario that loads it; NameStateLate calls VMMSIM_VXD_STATE outside its
 * control procedure, which is a misuse. */
#include "vmmsim/vxd.h"

static DWORD count;

DWORD Bump(void) { return ++count; }

DWORD NameStateLate(void) {
  VMMSIM_VXD_STATE(count);
  return 0;
}

static DWORD __stdcall control(DWORD message, VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  if (message == Device_Init) count = 0;
  return 0;
}

VMMSIM_DECLARE_VXD("STATELES", control)
