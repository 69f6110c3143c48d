-- A waiter without a re-check loop (seed 002: "when this service returns the caller must check for
-- a spurious wake up and call _BlockOnID again if this has occurred"). The reader blocks once and
-- trusts the wake-up. No order of ties or events breaks it; a spurious wake-up does.
-- Expected: exit 0 (finished).
-- Explore: exit 0 (no order of ties or events breaks it).
-- Explore --spurious-wakeups: exit 1 (error): one spurious_wakeup choice.
local data = nil
vmm.create_thread{name = "reader", body = function()
  vmm._BlockOnID("rx", 0)
  assert(data ~= nil, "reader: woken but no data arrived (a spurious wake-up; re-check in a loop)")
  vmm.log("read %d", data)
end}
vmm.at(5, function() data = 42; vmm._SignalID("rx") end)
