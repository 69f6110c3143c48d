-- Golden: the idle thread runs only when no other thread can (model.md section 1; seed 000, "Event
-- Processing": event processing is secondary to the scheduler). An interrupt queues a System VM
-- event while sys idles; B, a System VM thread blocked servicing events, outranks sys and can run it,
-- so the scheduler gives B the CPU and B runs the callback: "ran on B".
-- exit: 0
local B = vmm.create_thread{name = "B", priority = 0x107, body = function()
  vmm._BlockOnID("w1", vmm.Block_Svc_Ints)
end}
vmm.at(5, function()
  vmm.Schedule_VM_Event(vmm.sys_vm, function(e)
    vmm.log("ran on %s", e.thread.name)
    vmm._SignalID("w1")
  end, 0)
end)
