-- The Resume_Exec deadlock, fixed (seed 000, seed 001).
-- Same as resume_exec_deadlock.lua, but the event carries a priority boost. A thread event's boost
-- goes onto B as soon as it is queued (model.md section 3), so B's priority now exceeds A's and B
-- preempts A at A's next event processing point (the Resume_Exec), processes the event, and
-- A's loop ends. After the callback the boost is removed.
-- B waits with seed 002's re-check loop: with --spurious-wakeups, `vmmsim explore` finds that
-- without it a spurious wake-up ends B before the event, and A's loop never ends.
-- Expected: exit 0 (finished).
local done = false
local released = false
local B = vmm.create_thread{name = "B", priority = 0x100, body = function()
  while not released do vmm._BlockOnID("B-idle", vmm.Block_Svc_Ints) end
end}
vmm.create_thread{name = "A", priority = 0x100, body = function()
  vmm.Call_Restricted_Event(vmm.Low_Pri_Device_Boost, B, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, 0,
                            function(e) done = true; vmm.log("completed on %s", e.thread.name) end)
  vmm.Begin_Nest_Exec()
  while not done do vmm.Resume_Exec() end
  vmm.End_Nest_Exec()
  released = true
  vmm._SignalID("B-idle")
end}
