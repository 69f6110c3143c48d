-- Misuse row: Lua code whose recursion goes through C functions (here __tostring called by
-- string.format) nests C frames on the simulated thread's fiber stack. Lua stops it at about 200
-- levels with the error "C stack overflow", which must come before the fiber stack runs out (the
-- process would abort: "vmmsim: a simulated thread overflowed its fiber stack").
-- Expected: exit 1, "error: deep_c_recursion.lua:10: C stack overflow".
local mt = {}
mt.__tostring = function(t)
  if t.n == 0 then return "x" end
  -- the error:
  return string.format("%s", setmetatable({n = t.n - 1}, mt))
end
vmm.create_thread{name = "A", body = function()
  local text = tostring(setmetatable({n = 250}, mt))
  vmm.log("%s", text)
end}
