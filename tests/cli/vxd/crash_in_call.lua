-- crash_in_call.lua: tests/vxd/crash_vxd.c (libcrash_vxd.so) dereferences NULL in an exported
-- function the scenario calls. Expected: exit 1; the error names the driver and the function;
-- the lines logged before the crash are printed. VMMSIM_VXD_DIR: where the driver is.
local drv = vmm.load_vxd(os.getenv("VMMSIM_VXD_DIR") .. "/libcrash_vxd.so")
drv.call("CrashAt", 0xFFFFFFFF)  -- no control message crashes
vmm.create_thread{name = "T", body = function()
  vmm.log("before the call")
  vmm.ring3(1)
  drv.call("Deref")
  vmm.log("never logged")
end}
