-- stateless.lua: loads tests/vxd/stateless_vxd.c (libstateless_vxd.so), a driver that names no
-- state: explore --reduce refuses it; without --reduce it explores. VMMSIM_VXD_DIR: where it is.
local drv = vmm.load_vxd(os.getenv("VMMSIM_VXD_DIR") .. "/libstateless_vxd.so")
for i = 1, 2 do
  vmm.create_thread{name = "T" .. i, body = function() vmm.log("count %d", drv.call("Bump")) end}
end
