-- memory_top_level.lua: the set-up keeps every string it makes.
-- Expected with --max-memory 16: exit 1, "error: memory: ... --max-memory 16 MB".
local kept = {}
for i = 1, 1e9 do kept[i] = string.rep("x", 100) .. i end
