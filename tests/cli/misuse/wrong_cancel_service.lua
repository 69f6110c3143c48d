-- Misuse row: an event handle given to the wrong Cancel_* service (model.md section 3). The message
-- names the service that would cancel it.
-- Expected: exit 1, "wrong_cancel_service.lua:7: Cancel_Global_Event: handle 4294967297 belongs to a VM event
-- for System VM #1 PEF_Always_Sched event; cancel it with Cancel_VM_Event".
vmm.create_thread{name = "A", body = function()
  local h = vmm.Schedule_VM_Event(vmm.sys_vm, function() end, 0)
  vmm.Cancel_Global_Event(h)
end}
