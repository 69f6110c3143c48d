/* undefined_import.c: an i386 image that imports a function, which no VxD can (the loader refuses it). */
#include "vmm_i386.h"
extern DWORD some_import(DWORD);
DWORD calls_import(DWORD x) { return some_import(x); }
static __attribute__((used)) DWORD control_c(DWORD m, DWORD v, DWORD t) { return m + v + t ? 0 : 0; }
CONTROL_ENTRY(IMP_Control, control_c);
DECLARE_VIRTUAL_DEVICE(IMP, "IMP     ", IMP_Control);
