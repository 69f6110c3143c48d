-- An order bug between two global events (seed 000: "there is no guarantee on the order in which
-- events are processed"). The driver queues "init" then "use"; "use" assumes "init" already ran.
-- In FIFO order, the default, it does: `vmmsim run` passes. `vmmsim explore` runs the other order.
-- Expected: exit 0 (finished).
-- Explore: exit 1 (error): one event_order choice.
local ready = false
vmm.create_thread{name = "driver", body = function()
  vmm.Schedule_Global_Event(function() ready = true end, 0)  -- init
  vmm.Schedule_Global_Event(function()                       -- use
    assert(ready, "use ran before init: the two global events ran out of order")
  end, 0)
  vmm.ring3(1)
end}
