-- Misuse row: vmm.config after the run has started (it is a set-up call).
-- Expected: exit 1, "config_during_run.lua:4: vmm.config: only at set-up time (the top level of the
-- scenario), not during the run".
vmm.create_thread{name = "A", body = function() vmm.config{max_time = 100} end}
