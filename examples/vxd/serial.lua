-- A serial-style receive path (examples/vxd/serial.c, built as libserial.so): the terminal thread
-- reads one byte; the UART's receive interrupt brings 'A' (65) at 3 ms. The driver blocks on the
-- port's ID once, without a re-check loop.
-- Expected: exit 0 (finished).
-- Explore --spurious-wakeups: exit 1 (error): one spurious_wakeup choice. The fix: serial_fixed.lua.
local dir = os.getenv("VMMSIM_VXD_DIR") or "build/examples/vxd"
local drv = vmm.load_vxd(dir .. "/libserial.so")
vmm.create_thread{name = "terminal", priority = 0x100, body = function()
  local byte = drv.call("ReadByte")
  assert(byte == 65, string.format("terminal: read 0x%X, not 'A' (woken without a byte)", byte))
  vmm.log("terminal: read 'A'")
end}
vmm.at(3, function() drv.call("OnRxIrq", 65) end)
