-- emulated_driver.lua: tests/emu/emu_vxd.c as an i386 image (emu_pic.elf) under `vmmsim run`: the
-- control messages reach its control procedure (which logs two of them, one at the end of the run),
-- a thread blocks inside emulated code (_BlockOnID at INT 20h) until another wakes it, and an event
-- callback runs in emulation with the DDK's registers. Expected: exit 0, emulated_driver.out.
-- VMMSIM_I386_DIR: where the images are.
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/emu_pic.elf")
vmm.create_thread{name = "waiter", priority = 0x100, body = function()
  assert(drv.call("block", 0x42) == 1)
  vmm.log("waiter woken")
end}
local poster = vmm.create_thread{name = "poster", priority = 0x80, body = function()
  local vm = drv.call("current_vm")
  assert(drv.call("is_sys_vm", vm) == 1)
  drv.call("post_event", vm, 9, vmm.PEF_Always_Sched, 0)
  drv.call("greet", 0)
  vmm.log(string.format("add3 = %d, %d control messages so far", drv.call("add3", 1, 2, -4),
                        drv.call("messages_seen")))
  drv.call("signal", 0x42)
end}
