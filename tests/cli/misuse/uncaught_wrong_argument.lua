-- Misuse row: a vmm.* function given an argument of the wrong type, not caught.
-- Expected: exit 1, "uncaught_wrong_argument.lua:5: Schedule_Thread_Event: argument #1 'thread' must be
-- a thread, got VM".
vmm.create_thread{name = "A", body = function()
  vmm.Schedule_Thread_Event(vmm.sys_vm, function() end, 0)
end}
