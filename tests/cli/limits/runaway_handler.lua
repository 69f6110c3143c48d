-- runaway_handler.lua: an interrupt handler that never returns.
-- Expected with --max-steps 5000: exit 5, "runaway: thread sys ... at runaway_handler.lua:3".
vmm.at(1, function() while true do end end)
