-- Misuse row: a loop of zero-length ring-3 runs. Virtual time never advances, so neither max_time nor
-- starve_ms can end the run; more than 1,000,000 processing points at one virtual instant are a
-- zero-time livelock (model.md section 3) and end it starved.
-- Expected: exit 4, "starved: zero-time livelock: A reached more than 1000000 event processing points".
vmm.create_thread{name = "A", body = function()
  while true do vmm.ring3(0) end
end}
