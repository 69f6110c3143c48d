-- runaway_top_level.lua: the set-up never ends, and a pcall loop does not keep it alive.
-- Expected with --max-steps 5000: exit 5, "runaway: the scenario's top level ...".
local n = 0
while true do pcall(function() while true do n = n + 1 end end) end
