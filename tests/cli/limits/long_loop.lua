-- long_loop.lua: a long loop that calls vmm every 1,000 iterations: never a runaway.
-- Expected: exit 0, "sum 500000500000".
vmm.create_thread{name = "adder", body = function()
  local s = 0
  for i = 1, 1000000 do
    s = s + i
    if i % 1000 == 0 then vmm.now() end
  end
  vmm.log("sum %d", s)
end}
