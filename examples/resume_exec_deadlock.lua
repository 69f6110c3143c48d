-- The seed's Resume_Exec deadlock (seed 000).
-- Thread A starts an asynchronous operation whose completion is an event scheduled for thread B,
-- then spins in a Resume_Exec loop waiting for it. B's priority does not exceed A's, and a thread in
-- nested execution is never rotated away for an equal priority: B never runs, the event is never
-- processed, A spins forever.
-- Expected: exit 4 (starved), the diagnosis names A's Resume_Exec loop and B's pending event.
-- The fix is beside it: resume_exec_fixed.lua.
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
