-- emulated_carry_inverted.lua: an emulated driver that reads the carry inverted after a time-out
-- (tests/emu/carry_inverted.c). The DOS VM is suspended when the driver posts an event for it with a
-- 5 ms time-out; an interrupt at 3 ms resumes it, so the event runs in DOS on time and the driver's
-- misreading is harmless ("timed out, nothing reflected"). Expected: exit 0. With --jitter 3 the
-- explorer finds the interrupt late enough for the time-out to come first: the driver then reflects
-- into the System VM believing it DOS, and the check below fails (exit 1).
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/carry_inverted.elf")
local dos
vmm.create_thread{name = "driver", priority = 1, body = function()
  vmm.Suspend_VM(dos)
  drv.call("Post", dos)
  vmm.ring3(20)
  assert(drv.call("Result") ~= 2, "the driver took a timed-out event for one on time (carry read inverted)")
  vmm.log("driver: result %d", drv.call("Result"))
end}
dos = vmm.create_vm{name = "DOS", body = function() vmm.ring3(1) end}
vmm.at(3, function() vmm.Resume_VM(dos) end)
