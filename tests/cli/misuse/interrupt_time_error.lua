-- Misuse row: a blocking service at interrupt time (model.md section 3), not caught by the handler.
-- The critical section may not be claimed there even when it is free.
-- Expected: exit 1, "interrupt_time_error.lua:6: Begin_Critical_Section: may not be called at interrupt time".
vmm.create_thread{name = "A", body = function() vmm.ring3(5) end}
vmm.at(1, function()
  vmm.Begin_Critical_Section()
end)
