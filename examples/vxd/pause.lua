-- A real C driver under the simulated VMM (issue 13): examples/vxd/pause.c, built as
-- libpause.so, handles a Pause key pressed at 5 ms. Its interrupt handler queues a priority event
-- with four restrictions; the event runs on the application's thread, which waits in the driver
-- blocked with Block_Svc_Ints, and wakes it. The log shows the control messages the VMM sends.
-- Expected: exit 0 (finished).
local dir = os.getenv("VMMSIM_VXD_DIR") or "build/examples/vxd"
local drv = vmm.load_vxd(dir .. "/libpause.so")
vmm.create_thread{name = "app", priority = 0x100, body = function()
  vmm.log("%s handled %d pause(s)", drv.name, drv.call("WaitForPause"))
end}
vmm.at(5, drv.fn("OnIrq"))
