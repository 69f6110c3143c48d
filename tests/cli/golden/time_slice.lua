-- Golden: time slicing of equal priorities during ring-3 execution (model.md section 2): A and B
-- rotate every 20 ms; C, of higher priority, preempts at the interrupt's return and is never
-- rotated; a slice ends only while an equal-priority thread waits.
-- exit: 0
vmm.create_thread{name = "A", priority = 1, body = function() vmm.ring3(50); vmm.log("A done") end}
vmm.create_thread{name = "B", priority = 1, body = function() vmm.ring3(30); vmm.log("B done") end}
local C
vmm.at(45, function() vmm._SignalID("c") end)
C = vmm.create_thread{name = "C", priority = 2, body = function()
  vmm._BlockOnID("c", 0)
  vmm.ring3(10)
  vmm.log("C done")
end}
