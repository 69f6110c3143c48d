-- crash_in_control.lua: tests/vxd/crash_vxd.c dereferences NULL in its control procedure at
-- Thread_Init (0x1E), in the new thread's context. Expected: exit 1; the error names the driver
-- and the control message; what was logged before is printed.
local drv = vmm.load_vxd(os.getenv("VMMSIM_VXD_DIR") .. "/libcrash_vxd.so")
drv.call("CrashAt", 0x1E)
vmm.create_thread{name = "T", body = function() vmm.log("never logged") end}
