-- empty_scenario.lua: the smallest scenario, for lua_start_bench.cpp: one thread that returns.
vmm.create_thread{name = "main", body = function() end}
