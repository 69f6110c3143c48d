/* examples/vxd/i386/vmmsim/vxd.h: vmmsim/vxd.h for a driver built as an i386 VxD image (gcc -m32,
 * run under vmmsim's emulator, issue 20) instead of a shared object. The build puts this directory
 * before include/ on the include path, so the driver's `#include "vmmsim/vxd.h"` (and vtoolsd.h's)
 * comes here: the real header's types, constants and declarations, with the services defined by
 * vxd_i386.c as INT 20h dynalinks, and VMMSIM_DECLARE_VXD making the DDK's DDB (VMM.INC
 * "Declare_Virtual_Device") whose DDB_Control_Proc enters the driver's C control procedure with the
 * DDK's registers. The same source builds both ways. */
#ifndef VMMSIM_I386_VXD_H
#define VMMSIM_I386_VXD_H

#if !defined(__i386__)
#error "examples/vxd/i386 is for gcc -m32 builds; a shared object includes include/vmmsim/vxd.h itself"
#endif

#include_next "vmmsim/vxd.h"

/* The DDK's VxD_Desc_Block (VMM.INC "Declare_Virtual_Device"): what the emulator's loader reads. */
struct vmmsim_i386_ddb {
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

/* vmmsim_i386_control_entry (vxd_i386.c): the register entry (DDK "Control procedure": EAX message,
 * EBX VM, EDI thread; carry set = failure) calling vmmsim_i386_control_proc. */
extern void vmmsim_i386_control_entry(void);
extern PCONTROL_PROC vmmsim_i386_control_proc;

/* VMMSIM_DECLARE_VXD(name, control): the DDB, exported as NAME_DDB is by the DDK's macro (here
 * vmmsim_i386_DDB: the loader takes the one exported *_DDB), its DDB_Name the driver's name padded
 * with NULs to 8 characters (a name of 8 characters fills it). */
#undef VMMSIM_DECLARE_VXD
#define VMMSIM_DECLARE_VXD(name, control_proc)                                                            \
  PCONTROL_PROC vmmsim_i386_control_proc = control_proc;                                                  \
  __attribute__((visibility("default"))) struct vmmsim_i386_ddb vmmsim_i386_DDB = {                      \
      0, 0x0400, 0, 1, 0, 0, name, 0x80000000u, (DWORD)vmmsim_i386_control_entry, 0, 0, 0, 0, 0, 0, 0, 0, \
      0x50726576u, sizeof(struct vmmsim_i386_ddb), 0, 0, 0};

#endif /* VMMSIM_I386_VXD_H */
