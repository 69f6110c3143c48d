-- Golden: threads blocked servicing events (seed 000, model.md section 2). S blocks with
-- Block_Svc_Ints and is borrowed to run its thread event while still blocked; N blocks without the
-- flag and services nothing until it is woken, then runs its event at its first processing point.
-- While O owns the critical section (and is blocked), S services nothing, but F, blocked with
-- Block_Force_Svc_Ints, services anyway; with the section free, F holds it while it services.
-- exit: 0
local S, N, F
S = vmm.create_thread{name = "S", priority = 4, body = function()
  vmm._BlockOnID("s", vmm.Block_Svc_Ints); vmm.log("S woke")
end}
N = vmm.create_thread{name = "N", priority = 4, body = function()
  vmm._BlockOnID("n", 0); vmm.log("N woke"); vmm.ring3(1)
end}
F = vmm.create_thread{name = "F", priority = 4, body = function()
  vmm._BlockOnID("f", vmm.Block_Svc_Ints | vmm.Block_Force_Svc_Ints); vmm.log("F woke")
end}
vmm.create_thread{name = "O", priority = 1, body = function()
  local function ev(name) return function(e) vmm.log("%s runs on %s", name, e.thread.name) end end
  vmm.Schedule_Thread_Event(S, ev("event 1 for S"), 0)
  vmm.Schedule_Thread_Event(N, ev("event for N"), 0)
  vmm.Schedule_Thread_Event(F, ev("event 1 for F"), 0)
  vmm.ring3(1)
  vmm.Begin_Critical_Section(0)
  vmm.Schedule_Thread_Event(S, ev("event 2 for S"), 0)
  vmm.Schedule_Thread_Event(F, ev("event 2 for F"), 0)
  vmm._BlockOnID("o", 0)        -- blocks owning the section
  vmm.End_Critical_Section()
  vmm.ring3(1)
  vmm._SignalID("s"); vmm._SignalID("n"); vmm._SignalID("f")
end}
vmm.at(5, function() vmm._SignalID("o") end)
