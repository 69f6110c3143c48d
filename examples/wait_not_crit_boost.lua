-- PEF_Wait_Not_Crit with too large a boost (seed 001).
-- "passing a PriorityBoost greater than or equal to Critical_Section_Boost will prevent the event
-- from ever satisfying its own restrictions": a VM event's boost goes onto the VM while it is
-- queued, so the VM's priority is never below Critical_Section_Boost while the event waits.
-- Expected: exit 3 (stuck); vmmsim warns when the event is queued and the diagnosis names it.
-- The fix: wait_not_crit_boost_fixed.lua.
local ran = false
local dosbox  -- created below, after the driver, so the driver runs first
vmm.create_thread{name = "driver", body = function()
  vmm.Call_Restricted_Event(vmm.Critical_Section_Boost, dosbox, vmm.PEF_Wait_Not_Crit, 0,
                            function() ran = true end)
end}
dosbox = vmm.create_vm{name = "DOSBOX", body = function()
  for _ = 1, 5 do vmm.ring3(1) end
end}
