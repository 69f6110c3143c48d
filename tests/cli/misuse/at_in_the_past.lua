-- Misuse row: vmm.at with a time already past (a thread may add interrupts during the run).
-- Expected: exit 1, "at_in_the_past.lua:6: vmm.at: time 4.000 ms is in the past (now 5.000 ms)".
vmm.create_thread{name = "A", body = function()
  vmm.ring3(5)
  local function handler() end
  vmm.at(4, handler)
end}
