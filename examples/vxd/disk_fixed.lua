-- disk.lua's scenario with the fixed driver (disk.c built with -DDISK_FIXED as libdisk_fixed.so):
-- the unmount refuses while a request is outstanding and the completion performs it, so the read
-- succeeds and the volume is unmounted in either order of the two events.
-- Expected: exit 0 (finished).
local dir = os.getenv("VMMSIM_VXD_DIR") or "build/examples/vxd"
local drv = vmm.load_vxd(dir .. "/libdisk_fixed.so")
vmm.create_thread{name = "app", priority = 0x100, body = function()
  local status = drv.call("ReadSector")
  assert(status == 1, "app: the read failed (the volume was unmounted under it)")
  vmm.log("app: sector read")
end}
vmm.at(2, drv.fn("OnDiskIrq"))
vmm.at(2, drv.fn("OnUnmountTimer"))
vmm.at(10, function() assert(drv.call("Mounted") == 0, "the volume is still mounted") end)
