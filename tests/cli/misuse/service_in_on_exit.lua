-- Misuse row: a VMM service called from vmm.on_exit, after the run. The run's own ending is printed
-- first, then the error; the exit code is 1.
-- Expected: exit 1, "finished at 1.000 ms", then "service_in_on_exit.lua:7: Schedule_Global_Event: only
-- during a run (...), not after the run".
vmm.create_thread{name = "A", body = function() vmm.ring3(1) end}
vmm.on_exit(function()
  vmm.Schedule_Global_Event(function() end, 0)
end)
