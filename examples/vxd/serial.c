/* serial.c: a serial-style receive path, in the DDK-wrapper forms, after the pattern of a VCOMM
 * port driver's receive path (the Windows 95 DDK's SERIAL sample): the receive interrupt stores
 * the byte and signals the ID the reader blocks on; the reader, called from an application's
 * thread, blocks until a byte is there.
 *
 * The bug (libserial.so): the reader blocks once and trusts the wake-up. Block IDs are not
 * unique to their owner ("_BlockOnID": an unrelated piece of code may signal the ID, and the
 * caller must check for a spurious wake-up and block again), so a wake-up without a byte returns
 * garbage. No order of ties or events shows it; `vmmsim explore --spurious-wakeups` does.
 * The fix (built with -DSERIAL_FIXED as libserial_fixed.so): the re-check loop. */
#include "vmmsim/vxd.h"

#define RX_ID 0x53455231u /* 'SER1': conventionally the address of the port's receive buffer */
#define NO_BYTE 0xFFFFFFFFu

static DWORD rx_byte;
static BOOL rx_ready;

/* OnRxIrq: the UART's receive interrupt (vmm.at(ms, drv.fn("OnRxIrq"), byte)). */
DWORD OnRxIrq(DWORD byte) {
  rx_byte = byte;
  rx_ready = TRUE;
  _SignalID(RX_ID);
  return 0;
}

/* ReadByte: the receive path: the byte, or NO_BYTE when woken without one. */
DWORD ReadByte(void) {
  DWORD byte;
#ifdef SERIAL_FIXED
  while (!rx_ready) _BlockOnID(RX_ID, Block_Svc_Ints); /* re-checked: IDs are shared */
#else
  if (!rx_ready) _BlockOnID(RX_ID, Block_Svc_Ints); /* the bug: one wake-up is taken for a byte */
#endif
  if (!rx_ready) return NO_BYTE;
  byte = rx_byte;
  rx_ready = FALSE;
  return byte;
}

static DWORD __stdcall control(DWORD message, VMHANDLE hvm, THREADHANDLE hthread) {
  (void)hvm;
  (void)hthread;
  if (message == Device_Init) {
    rx_byte = 0;
    rx_ready = FALSE;
    VMMSIM_VXD_STATE(rx_byte);
    VMMSIM_VXD_STATE(rx_ready);
  }
  return 0;
}

VMMSIM_DECLARE_VXD("SERIAL", control)
