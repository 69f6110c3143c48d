-- A disk-style driver's deferred unmount (examples/vxd/disk.c, VToolsD forms, built as libdisk.so).
-- The application reads a sector; the disk interrupt that completes it and the auto-unmount timer
-- come at the same instant (2 ms), each scheduling an event. In creation order the completion
-- runs first and the read succeeds; nothing orders the two, and the other order unmounts the
-- volume under the outstanding request.
-- Expected: exit 0 (finished).
-- Explore: exit 1 (error): one simultaneous choice, the timer first. The fix: disk_fixed.lua.
local dir = os.getenv("VMMSIM_VXD_DIR") or "build/examples/vxd"
local drv = vmm.load_vxd(dir .. "/libdisk.so")
vmm.create_thread{name = "app", priority = 0x100, body = function()
  local status = drv.call("ReadSector")
  assert(status == 1, "app: the read failed (the volume was unmounted under it)")
  vmm.log("app: sector read")
end}
vmm.at(2, drv.fn("OnDiskIrq"))
vmm.at(2, drv.fn("OnUnmountTimer"))
