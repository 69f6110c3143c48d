-- Chasing the critical section, fixed with PEF_Wait_Crit (seed 001).
-- "Starting with Windows 95, the PEF_Wait_Crit flag is the recommended way": a global event with
-- PEF_Wait_Crit is processed only where the critical section is free or owned by the current thread,
-- so its callback can claim the section without blocking. It runs once, as soon as O releases the
-- section after its I/O completes.
-- Expected: exit 0 (finished), the log shows one run.
-- O waits with seed 002's flag and re-check loop: `vmmsim explore` finds the order where D runs
-- first and the I/O completes before O ever blocks, a lost wake-up without the flag.
local runs = 0
local io_done = false
vmm.create_thread{name = "O", body = function()
  vmm.Begin_Critical_Section(0)
  while not io_done do vmm._BlockOnID("io", 0) end  -- waits for its I/O while owning the section
  vmm.End_Critical_Section()
end}
vmm.at(10, function() io_done = true; vmm._SignalID("io") end)   -- the I/O completes
vmm.create_thread{name = "D", body = function()
  vmm.Call_Restricted_Event(0, 0, vmm.PEF_Wait_Crit, 0, function(e)
    runs = runs + 1
    vmm.Begin_Critical_Section(0)   -- cannot block: the section is free or ours
    vmm.log("work done under the critical section on %s", e.thread.name)
    vmm.End_Critical_Section()
  end)
  vmm.ring3(20)
  assert(runs == 1, "the PEF_Wait_Crit event should have run exactly once")
end}
