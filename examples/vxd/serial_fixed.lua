-- serial.lua's scenario with the fixed driver (serial.c built with -DSERIAL_FIXED as
-- libserial_fixed.so): the receive path blocks again until the byte is there.
-- Expected: exit 0 (finished).
local dir = os.getenv("VMMSIM_VXD_DIR") or "build/examples/vxd"
local drv = vmm.load_vxd(dir .. "/libserial_fixed.so")
vmm.create_thread{name = "terminal", priority = 0x100, body = function()
  local byte = drv.call("ReadByte")
  assert(byte == 65, string.format("terminal: read 0x%X, not 'A' (woken without a byte)", byte))
  vmm.log("terminal: read 'A'")
end}
vmm.at(3, function() drv.call("OnRxIrq", 65) end)
