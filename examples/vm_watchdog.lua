-- A watchdog on a VM's execution time (DDK "Set_VM_Time_Out": it "counts only time while that VM
-- runs"). A driver gives a DOS application in VM "dosapp" 50 ms of its own CPU time to answer; a
-- higher-priority System VM thread keeps the CPU for 100 ms first, which does not count against it.
-- The application loops without answering, so after 50 ms of its execution (at 150 ms of virtual
-- time) the watchdog fires in the VM's context and the driver gives up on it.
-- Expected: exit 0 (finished): the watchdog ends the hung VM; without it the run would hit max_time.
vmm.config{max_time = 1000}
local answered = false
local app = vmm.create_vm{name = "dosapp", priority = 0x10, body = function()
  while not answered do vmm.ring3(10) end   -- hung: never answers
end}
vmm.create_thread{name = "driver", priority = 0x20, body = function()
  vmm.Set_VM_Time_Out(50, app, function(e)
    vmm.log("watchdog: %s used 50 ms without answering; giving up on it", e.vm.name)
    answered = true                          -- the driver gives up on it
  end, 0)
  vmm.ring3(100)                             -- the System VM's own work: not dosapp's time
  vmm._BlockOnID("reply", 0)                 -- waits; dosapp now runs
end}
vmm.at(500, function() vmm._SignalID("reply") end)
