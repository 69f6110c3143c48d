-- state_named_late.lua: VMMSIM_VXD_STATE from an exported function, not the control procedure.
-- Expected: exit 1, "vmmsim_vxd_state: call it from the driver's control procedure".
local drv = vmm.load_vxd(os.getenv("VMMSIM_VXD_DIR") .. "/libstateless_vxd.so")
vmm.create_thread{name = "T", body = function() drv.call("NameStateLate") end}
