-- Golden: the stuck diagnosis names an event that can never satisfy its own restriction (seed 001).
-- exit: 3
local ran = false
local dosbox  -- created below, after the driver, so the driver runs first
vmm.create_thread{name = "driver", body = function()
  vmm.Call_Restricted_Event(vmm.Critical_Section_Boost, dosbox, vmm.PEF_Wait_Not_Crit, 0,
                            function() ran = true end)
end}
dosbox = vmm.create_vm{name = "DOSBOX", body = function()
  for _ = 1, 5 do vmm.ring3(1) end
end}
