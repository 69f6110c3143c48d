-- emulated_lost_wakeup.lua: a lost wake-up planted in emulated code: waiter blocks on an ID inside
-- the i386 image (_BlockOnID at INT 20h), waker signals it from the image. Both have the same
-- priority: in creation order the run finishes; when the tie goes to waker first the signal is lost
-- and waiter blocks forever. Expected: `vmmsim run` exits 0; `vmmsim explore` finds the stuck run
-- (exit 3) and its token replays it.
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/emu_pic.elf")
vmm.create_thread{name = "waiter", priority = 0x100, body = function() drv.call("block", 0x99) end}
vmm.create_thread{name = "waker", priority = 0x100, body = function() drv.call("signal", 0x99) end}
