-- runaway_xpcall_coroutine.lua: the loop runs in a coroutine, under pcall, under
-- xpcall whose handler never returns, in a loop: the runaway still ends the run. (Lua calls
-- the handler inside the hook that raised the error, where no hook runs: vmmsim's xpcall
-- passes the handler by once the run is stopped, or this would run forever.)
-- Expected with --max-steps 5000: exit 5, "runaway: thread A ...".
vmm.create_thread{name = "A", body = function()
  local co = coroutine.wrap(function() while true do end end)
  while true do
    xpcall(function() pcall(co) end, function(m) while true do end end)
  end
end}
