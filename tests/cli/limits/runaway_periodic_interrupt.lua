-- runaway_periodic_interrupt.lua: the third firing of a periodic interrupt never returns.
-- Expected with --max-steps 5000: exit 5, "runaway: thread A ... at runaway_periodic_interrupt.lua:4".
local n = 0
vmm.every(1, function() n = n + 1; if n == 3 then while true do end end end, 5)
vmm.create_thread{name = "A", body = function() vmm.ring3(10) end}
