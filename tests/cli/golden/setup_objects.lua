-- Golden: objects a VxD makes at Device_Init may be made at set-up time too (scenario-api.md):
-- a semaphore created at the top level, before any thread runs, is used by the threads.
-- exit: 0
local sem = vmm.Create_Semaphore(0)
vmm.create_thread{name = "consumer", priority = 2, body = function()
  vmm.Wait_Semaphore(sem, 0)
  vmm.log("got the token")
end}
vmm.create_thread{name = "producer", priority = 1, body = function()
  vmm.ring3(1)
  vmm.Signal_Semaphore(sem)
end}
