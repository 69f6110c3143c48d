-- High_Pri_Device_Boost against a critical-section owner (seed 001, seed 003).
-- High_Pri_Device_Boost is for operations "that should not circumvent the critical section boost";
-- Time_Critical_Boost is for operations "that require immediate processing, even when another
-- virtual machine is in a critical section. For example, VPICD uses this when simulating hardware
-- interrupts." Here a device interrupt at 5 ms must be reflected into the DOS VM within 10 ms, but
-- it is queued with High_Pri_Device_Boost while a System VM thread holds the critical section for
-- 500 ms: DOS gets the CPU only when the section is released.
-- Expected: exit 1 (error: the latency assertion fails). The fix: time_critical_boost_fixed.lua.
local BOOST = vmm.High_Pri_Device_Boost
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
