-- runaway_idle_callback.lua: a Call_When_Idle callback that never returns.
-- Expected with --max-steps 5000: exit 5, "runaway: thread sys ...". Nothing the kernel held while
-- calling it may leak (the sanitizer build checks).
vmm.create_thread{name = "A", body = function() vmm.Call_When_Idle(function(e) while true do end end); vmm._BlockOnID("x", 0) end}
vmm.at(3, function() vmm._SignalID("x") end)
