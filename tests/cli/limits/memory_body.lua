-- memory_body.lua: a body that keeps every string it makes.
-- Expected with --max-memory 16: exit 1, "error: memory: ... --max-memory 16 MB, near memory_body.lua:N".
local kept = {}
vmm.create_thread{name = "hoarder", body = function()
  for i = 1, 1e9 do kept[i] = string.rep("x", 100) .. i end
end}
