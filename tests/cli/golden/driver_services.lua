-- Golden: the services drivers call beside the seeds' ones, in their Lua forms (scenario-api.md):
-- handle queries, Get_System_Time, the critical section's Claim / Get_Crit_Section_Status /
-- End_Crit_And_Suspend, Release_Time_Slice and Wake_Up_VM, No_Fail_Resume_VM, Call_When_Idle, and
-- the thread, VM and async time-outs.
-- exit: 0
local V
V = vmm.create_vm{name = "V", priority = 3, body = function()
  vmm.log("V: current VM %s, is the System VM: %s", vmm.Get_Cur_VM_Handle().name,
          tostring(vmm.Test_Sys_VM_Handle(vmm.Get_Cur_VM_Handle())))
  vmm.Claim_Critical_Section(2, 0)
  local owner, claims, high = vmm.Get_Crit_Section_Status()
  vmm.log("status: owner %s, %d claims, carry %s", owner.name, claims, tostring(high))
  vmm.log("End_Crit_And_Suspend with 2 claims: %s", tostring(vmm.End_Crit_And_Suspend()))
  vmm.End_Critical_Section()
  vmm.log("End_Crit_And_Suspend with 1 claim: %s", tostring(vmm.End_Crit_And_Suspend()))
  vmm.log("V resumed at %d ms", vmm.Get_System_Time())
  vmm.Release_Time_Slice()
  vmm.log("V woken at %d ms", vmm.Get_System_Time())
end}
vmm.create_thread{name = "A", priority = 2, body = function()
  vmm.log("A is %s in %s", vmm.Get_Cur_Thread_Handle().name, vmm.Get_Sys_VM_Handle().name)
  vmm.Call_When_Idle(function(e)
    vmm.log("idle on %s", e.thread.name)
    return true
  end)
  vmm.Set_Thread_Time_Out(3, vmm.Get_Cur_Thread_Handle(), function(e)
    vmm.log("A's own 3 ms are up (on %s)", e.thread.name)
  end, 0)
  vmm.Set_Async_Time_Out(1, function() vmm.log("async time-out at %d ms", vmm.Get_System_Time()) end, 0)
  vmm.ring3(4)
  vmm.No_Fail_Resume_VM(V)
  vmm.ring3(1)
  vmm.Wake_Up_VM(V)
end}
