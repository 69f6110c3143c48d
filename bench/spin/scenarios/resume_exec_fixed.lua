-- The Resume_Exec deadlock, fixed (seed 000, seed 001), scaled to N threads: the Lua twin of
-- bench/spin/resume_exec_fixed.pml. VMMSIM_N=4 vmmsim run ... (default 2; N = 2 is
-- examples/resume_exec_fixed.lua with A named A1).
-- As resume_exec_buggy.lua, but every client passes Low_Pri_Device_Boost with its event: the boost
-- goes onto B when the event is queued, so B (0x110) preempts the client at its first Resume_Exec,
-- processes the event and blocks again, and the client's loop ends.
-- Expected: exit 0 in every schedule.
local N = math.tointeger(tonumber(os.getenv("VMMSIM_N") or "2"))
assert(N and N >= 2, "VMMSIM_N must be an integer >= 2")
local BOOST = vmm.Low_Pri_Device_Boost  -- the fix: the boost goes onto B when queued (model.md 3)
-- done[a]: client a's operation has completed. Every entry starts false, as the model's `bit done[N]`
-- starts 0: a table with holes (done[2] set while done[1] is nil) has no fingerprint (#t depends on
-- its layout; docs/model.md section 7), so --reduce and --prove could not match any state after
-- the first completion out of order.
local done = {}
for a = 1, N - 1 do done[a] = false end
local finished = 0
local B = vmm.create_thread{name = "B", priority = 0x100, body = function()
  vmm._BlockOnID("B-idle", vmm.Block_Svc_Ints)
end}
for a = 1, N - 1 do
  vmm.create_thread{name = "A" .. a, priority = 0x100, body = function()
    vmm.Call_Restricted_Event(BOOST, B, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, a,
                              function(e) done[e.refdata] = true end)
    vmm.Begin_Nest_Exec()
    while not done[a] do vmm.Resume_Exec() end
    vmm.End_Nest_Exec()
    finished = finished + 1
    if finished == N - 1 then vmm._SignalID("B-idle") end   -- the last client lets B finish
  end}
end
