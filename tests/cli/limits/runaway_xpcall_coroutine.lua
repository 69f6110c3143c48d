-- runaway_xpcall_coroutine.lua: the loop runs in a coroutine, under pcall, under
-- xpcall whose handler loops too, in a loop: the runaway still ends the run.
-- Expected with --max-steps 5000: exit 5, "runaway: thread A ...".
vmm.create_thread{name = "A", body = function()
  local co = coroutine.wrap(function() while true do end end)
  while true do
    xpcall(function() pcall(co) end, function(m) local x = 0 for i = 1, 1e9 do x = x + i end return m end)
  end
end}
