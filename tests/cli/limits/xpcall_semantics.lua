-- xpcall_semantics.lua: the xpcall a scenario gets (lua_limits.cpp,
-- guarded_xpcall) answers as Lua's own: results, the handler's answer, a service that blocks
-- inside it, a coroutine that yields inside it, and the error for a missing handler.
vmm.create_thread{name = "A", body = function()
  local ok, a, b = xpcall(function(x, y) return x + y, "two" end, debug.traceback, 1, 2)
  vmm.log("results: %s %s %s", tostring(ok), tostring(a), tostring(b))
  local ok2, m2 = xpcall(function() error("boom", 0) end, function(e) return "handled " .. e end)
  vmm.log("handled: %s %s", tostring(ok2), m2)
  local ok3, m3 = xpcall(function() vmm._BlockOnID("w", 0); return "woken" end, debug.traceback)
  vmm.log("blocked: %s %s", tostring(ok3), m3)
  local co = coroutine.wrap(function()
    return xpcall(function() coroutine.yield(7); return 8 end, debug.traceback)
  end)
  local first = co()
  local ok5, second = co()
  vmm.log("yielded: %s, then %s %s", tostring(first), tostring(ok5), tostring(second))
  local ok6, m6 = pcall(xpcall, function() end)
  vmm.log("no handler: %s %s", tostring(ok6), m6)
end}
vmm.create_thread{name = "B", body = function() vmm.ring3(1); vmm._SignalID("w") end}
