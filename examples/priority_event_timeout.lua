-- A Call_Priority_VM_Event time-out (seed 003).
-- "If the amount of time specified by TimeOut elapses before the system can switch to the virtual
-- machine, the system sets the carry flag and calls the callback function immediately regardless of
-- which virtual machine is currently running ... The callback function should always check the carry
-- flag." The DOS VM is suspended (a background VM that may not run), so the system cannot switch to
-- it; after 50 ms the callback runs in the System VM, with carry set. This callback forgets to check
-- and assumes it runs in the DOS VM.
-- Expected: exit 1 (error: its assertion fails). The fix: priority_event_timeout_fixed.lua.
local dos  -- created below; the driver runs first and suspends it before it ever runs
vmm.create_thread{name = "driver", body = function()
  vmm.Suspend_VM(dos)
  vmm.Call_Priority_VM_Event(vmm.High_Pri_Device_Boost, dos, vmm.PEF_Time_Out, 0, function(e)
    assert(e.vm == dos, "callback ran in " .. e.vm.name .. ", not in DOS: it timed out (carry set)")
    vmm.log("reflected the interrupt into DOS")
  end, 50)
  vmm.ring3(100)
  vmm.Resume_VM(dos)
end}
dos = vmm.create_vm{name = "DOS", body = function()
  vmm.ring3(10)
end}
