-- Golden: the order of events at one processing point (seed 001): global, then VM, then thread
-- events, FIFO within each; PEF_Process_Last events only in a second pass; after each callback the
-- search starts again from the first pass.
-- exit: 0
local order = {}
local function note(name) return function() order[#order + 1] = name; vmm.log("callback %s", name) end end
vmm.create_thread{name = "T", body = function()
  local me = vmm.current_thread()
  vmm.Call_Restricted_Event(0, me, vmm.PEF_Thread_Event | vmm.PEF_Always_Sched, 0, note("thread-1"))
  vmm.Call_Restricted_Event(0, vmm.sys_vm, vmm.PEF_Process_Last | vmm.PEF_Always_Sched, 0, note("vm-last"))
  vmm.Schedule_VM_Event(vmm.sys_vm, note("vm-1"), 0)
  vmm.Schedule_Global_Event(note("global-1"), 0)
  vmm.Schedule_Thread_Event(me, function()
    note("thread-2")()
    vmm.Schedule_Global_Event(note("global-2"), 0)   -- found first by the next search
  end, 0)
  vmm.ring3(1)   -- the processing point
  vmm.log("order: %s", table.concat(order, " "))
end}
