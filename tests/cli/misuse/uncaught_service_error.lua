-- Misuse row: a service error the scenario does not catch. The message names the scenario's line,
-- then the service, then what is wrong; the run ends with exit 1.
-- Expected: exit 1, "uncaught_service_error.lua:7: Call_Restricted_Event: PEF_Wait_For_STI cannot be
-- combined with PEF_Wait_For_Thread_STI".
vmm.create_thread{name = "A", body = function()
  local callback = function() end
  vmm.Call_Restricted_Event(0, 0, vmm.PEF_Wait_For_STI | vmm.PEF_Wait_For_Thread_STI, 0, callback)
end}
