-- PEF_Wait_Not_Crit with a boost below Critical_Section_Boost (seed 001).
-- High_Pri_Device_Boost is for "time-critical operations that should not circumvent the critical
-- section boost": the event runs in DOSBOX at its next processing point.
-- Expected: exit 0 (finished).
-- The driver's base priority is 1, so it runs first in every order: with equal priorities,
-- `vmmsim explore` finds the order where DOSBOX finishes before the driver queues the event.
local dosbox  -- created below
vmm.create_thread{name = "driver", priority = 1, body = function()
  vmm.Call_Restricted_Event(vmm.High_Pri_Device_Boost, dosbox, vmm.PEF_Wait_Not_Crit, 0,
                            function(e) vmm.log("event ran in %s", e.vm.name) end)
end}
dosbox = vmm.create_vm{name = "DOSBOX", body = function()
  for _ = 1, 5 do vmm.ring3(1) end
end}
