-- Not an error but an outcome: an event already pending when its target thread finishes can never
-- run, and the run is stuck (model.md section 3), the diagnosis saying "target finished".
-- Expected: exit 3, "stuck:" and "target finished".
local B
vmm.create_thread{name = "A", priority = 0x100, body = function()
  vmm.Schedule_Thread_Event(B, function() end, 0)
end}
B = vmm.create_thread{name = "B", body = function() end}
