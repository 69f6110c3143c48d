-- The Resume_Exec hang (seed 000), reached only when a tie goes one way. A client hands a request
-- to a worker thread as a thread event and spins in Resume_Exec until it is done; if the worker has
-- not registered yet, the client does the work inline. Worker and client have the same priority.
-- Client first (creation order, the default): inline, fine. Worker first: the worker, blocked
-- servicing events, has the same priority as the client, and a thread in nested execution is never
-- rotated away for an equal priority: the event never runs.
-- Expected: exit 0 (finished).
-- Explore: exit 4 (starved): one thread_tie choice.
local worker = nil
local done = false
vmm.create_thread{name = "client", priority = 0x100, body = function()
  if worker == nil then
    done = true  -- no worker yet: do the work here
    return
  end
  vmm.Call_Restricted_Event(0, worker, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, 0,
                            function() done = true end)
  vmm.Begin_Nest_Exec()
  while not done do vmm.Resume_Exec() end
  vmm.End_Nest_Exec()
  vmm._SignalID("worker-idle")
end}
vmm.create_thread{name = "worker", priority = 0x100, body = function()
  worker = vmm.current_thread()
  while not done do vmm._BlockOnID("worker-idle", vmm.Block_Svc_Ints) end
end}
