/* spin_init.c: a test image whose control procedure never returns from Device_Init (a loop that
 * calls no VMM service): the budget's runaway in a control message (tests/emu/budget_test.cpp). */
#include "vmm_i386.h"

static __attribute__((used)) DWORD control_c(DWORD message, DWORD vm, DWORD thread) {
  (void)vm;
  (void)thread;
  if (message == 0x0001)
    for (volatile DWORD i = 0;; ++i) {
    }
  return 0;
}
CONTROL_ENTRY(SPININIT_Control, control_c);
DECLARE_VIRTUAL_DEVICE(SPININIT, "SPININIT", SPININIT_Control);
