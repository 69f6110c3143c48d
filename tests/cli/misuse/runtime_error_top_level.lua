-- Misuse row: a Lua runtime error at the top level (set-up time), before the run starts.
-- Expected: exit 1, "runtime_error_top_level.lua:4: attempt to call a nil value (field 'create_thraed')".
vmm.create_thread{name = "A", body = function() end}
vmm.create_thraed{name = "B", body = function() end}
