-- Misuse row: a vmm.config value that is not a positive number of milliseconds.
-- Expected: exit 1, "config_bad_value.lua:3: vmm.config: field 'time_slice' must be a finite number > 0, got 0.0".
vmm.config{time_slice = 0}
vmm.create_thread{name = "A", body = function() end}
