-- Misuse row: a VMM service called at the top level, before the run.
-- Expected: exit 1, "service_at_setup_time.lua:4: Call_Global_Event: only during a run (in a thread body,
-- an event callback or an interrupt handler), not at set-up time".
vmm.Call_Global_Event(function() end, 0)
