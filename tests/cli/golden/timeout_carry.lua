-- Golden: a restricted event's time-out (seed 001, seed 003): its restriction never holds (the
-- target keeps interrupts disabled), so after 30 ms it leaves its queue, its boost is removed even
-- with PEF_Dont_Unboost, and its callback runs once with the carry flag set, in the context of the
-- thread that is current, at the return of the time-out.
-- exit: 0
local V = vmm.create_vm{name = "V", body = function()
  vmm.cli()
  vmm.ring3(100)
  vmm.sti()
end}
vmm.create_thread{name = "driver", priority = 0x10, body = function()
  vmm.Call_Restricted_Event(vmm.Low_Pri_Device_Boost, V,
    vmm.PEF_Wait_For_STI | vmm.PEF_Time_Out | vmm.PEF_Dont_Unboost, "ref", function(e)
      vmm.log("callback: timed_out=%s on %s in %s refdata=%s; V boosts now %d",
              tostring(e.timed_out), e.thread.name, e.vm.name, e.refdata, V.priority)
    end, 30)
  vmm.log("queued; V boosts %d", V.priority)
  vmm.ring3(50)
end}
