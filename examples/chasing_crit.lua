-- Chasing the critical section (seed 001), broken by threads.
-- The Windows 3.1 idiom: an event checks who owns the critical section, and either does its work or
-- reschedules itself for the owner's VM. In Windows 95 the section is owned by a thread, and a VM
-- event for the System VM may run on any of its threads: O owns the section and blocks on its I/O,
-- the event lands on the driver thread D, reschedules itself "for the owner's VM" (the System VM
-- again), and is processed again by D at the same processing point, without time advancing.
-- Expected: exit 4 (starved: zero-time livelock). The fix is beside it: chasing_crit_fixed.lua.
local owner = nil
local hops = 0
local work_done = false

local function chase(e)
  hops = hops + 1
  if owner == nil or owner == e.thread then
    vmm.Begin_Critical_Section(0)
    work_done = true
    vmm.End_Critical_Section()
  else
    vmm.Schedule_VM_Event(vmm.sys_vm, chase, 0)  -- "reschedule for the owner's VM"
  end
end

vmm.create_thread{name = "O", body = function()
  vmm.Begin_Critical_Section(0); owner = vmm.current_thread()
  vmm._BlockOnID("io", 0)          -- waits for its I/O while owning the section
  owner = nil; vmm.End_Critical_Section()
end}
vmm.at(10, function() vmm._SignalID("io") end)   -- the I/O completes
vmm.create_thread{name = "D", body = function()
  vmm.Schedule_VM_Event(vmm.sys_vm, chase, 0)
  vmm.ring3(20)
  vmm.log("work done: %s after %d hops", tostring(work_done), hops)
end}
