-- Time_Critical_Boost against a critical-section owner (seed 001, seed 003).
-- "Time_Critical_Boost: use for operations that require immediate processing, even when another
-- virtual machine is in a critical section. For example, VPICD uses this when simulating hardware
-- interrupts." The DOS VM's priority now exceeds the owner's Critical_Section_Boost, so it preempts
-- the owner at the interrupt's return and the interrupt is reflected at once.
-- Expected: exit 0 (finished).
local BOOST = vmm.Time_Critical_Boost
vmm.create_thread{name = "owner", body = function()
  vmm.Begin_Critical_Section(0)
  vmm.ring3(500)
  vmm.End_Critical_Section()
end}
local dos = vmm.create_vm{name = "DOS", body = function()
  for _ = 1, 20 do vmm.ring3(1) end
end}
vmm.at(5, function()   -- the device interrupt: reflect it into DOS
  vmm.Call_Priority_VM_Event(BOOST, dos, 0, 0, function(e)
    local latency = vmm.now() - 5
    vmm.log("interrupt reflected into %s after %.3f ms", e.vm.name, latency)
    assert(latency <= 10, string.format("device overrun: interrupt reflected %.3f ms late", latency))
    vmm.hw_int(1)
  end)
end)
