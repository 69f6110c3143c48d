-- Golden: the starved diagnosis of the seed's Resume_Exec deadlock (seed 000).
-- exit: 4
local done = false
local B = vmm.create_thread{name = "B", priority = 0x100, body = function()
  vmm._BlockOnID("B-idle", vmm.Block_Svc_Ints)
end}
vmm.create_thread{name = "A", priority = 0x100, body = function()
  -- Forgetting to pass a priority boost (EAX) is "a common error" (seed 001).
  vmm.Call_Restricted_Event(0, B, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, 0,
                            function() done = true end)
  vmm.Begin_Nest_Exec()
  while not done do vmm.Resume_Exec() end
  vmm.End_Nest_Exec()
  vmm._SignalID("B-idle")
end}
