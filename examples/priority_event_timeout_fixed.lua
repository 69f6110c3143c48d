-- A Call_Priority_VM_Event time-out handled (seed 003).
-- The callback checks the carry flag (e.timed_out) first, and on a time-out does not touch the DOS
-- VM. The boost was cancelled with the time-out, "even if Flags specified the PEF_Dont_Unboost value".
-- Expected: exit 0 (finished).
-- The driver's base priority is 1, so it runs first in every order: with equal priorities,
-- `vmmsim explore` finds the order where DOS runs and finishes first, and the event has no VM thread.
local dos  -- created below; the driver runs first and suspends it before it ever runs
vmm.create_thread{name = "driver", priority = 1, body = function()
  vmm.Suspend_VM(dos)
  vmm.Call_Priority_VM_Event(vmm.High_Pri_Device_Boost, dos, vmm.PEF_Time_Out | vmm.PEF_Dont_Unboost, 0,
    function(e)
      if e.timed_out then
        vmm.log("timed out; ran in %s; DOS VM boosts back to %d", e.vm.name, dos.priority)
        return
      end
      vmm.log("reflected the interrupt into DOS")
    end, 50)
  vmm.ring3(100)
  vmm.Resume_VM(dos)
end}
dos = vmm.create_vm{name = "DOS", body = function()
  vmm.ring3(10)
end}
