-- A signal/block race that only some interrupt timings expose (seed 002's lost wake-up). The driver
-- waits for the device to start (interrupt at 1 ms), computes for 2 ms, then blocks until the
-- device is done (interrupt at 4 ms). On time, "done" comes after the block. If the start interrupt
-- is 2 ms late, "done" comes while the driver still computes: the signal wakes no one and is lost.
-- Expected: exit 0 (finished).
-- Explore: exit 0 (interrupts on time).
-- Explore --jitter 2: exit 3 (stuck): one jitter choice.
local started, finished = false, false
vmm.create_thread{name = "driver", body = function()
  while not started do vmm._BlockOnID("start", 0) end
  vmm.ring3(2)
  vmm._BlockOnID("done", 0)  -- the bug: no flag, so a "done" that came first is lost
  vmm.log("device done: %s", tostring(finished))
end}
vmm.at(1, function() started = true; vmm._SignalID("start") end)
vmm.at(4, function() finished = true; vmm._SignalID("done") end)
