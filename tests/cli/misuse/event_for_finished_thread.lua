-- Misuse row: queueing an event for a thread that has finished (model.md section 3).
-- Expected: exit 1, "event_for_finished_thread.lua:6: Schedule_Thread_Event: thread B has finished".
local B = vmm.create_thread{name = "B", priority = 0x100, body = function() end}
vmm.create_thread{name = "A", body = function()
  local function callback() end
  vmm.Schedule_Thread_Event(B, callback, 0)
end}
