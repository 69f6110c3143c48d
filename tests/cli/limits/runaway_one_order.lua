-- runaway_one_order.lua: B spins forever, but only when it runs before A has set the flag: the
-- default order (A first) finishes; the explorer finds the other tie and its token replays.
-- Expected: vmmsim run exits 0; vmmsim explore --max-steps 5000 exits 5 with "runaway: thread B".
local ready = false
vmm.create_thread{name = "A", body = function() ready = true end}
vmm.create_thread{name = "B", body = function()
  if not ready then while true do end end
end}
