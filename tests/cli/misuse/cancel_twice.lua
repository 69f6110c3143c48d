-- Misuse row: cancelling an event handle twice (model.md section 3: "stale event handle").
-- Expected: exit 1, "cancel_twice.lua:6: Cancel_Restricted_Event: stale event handle 4294967297 (its event
-- already ran or was cancelled)" (a handle carries a generation in its high 32 bits).
vmm.create_thread{name = "A", body = function()
  local h = vmm.Call_Restricted_Event(0, 0, vmm.PEF_Always_Sched, 0, function() end)
  vmm.Cancel_Restricted_Event(h) vmm.Cancel_Restricted_Event(h)
end}
