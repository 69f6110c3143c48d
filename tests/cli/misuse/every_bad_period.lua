-- Misuse row: vmm.every with a period the microsecond clock cannot count.
-- Expected: exit 1, "every_bad_period.lua:3: vmm.every: period must be at least 0.001 ms".
vmm.every(0.0001, function() end)
