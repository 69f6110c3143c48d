-- A mutex-ordering deadlock (DDK "_EnterMutex"). Two driver threads each protect a device queue and
-- a DMA channel with a mutex, but take them in opposite orders. The 20 ms time slice lets each take
-- its first mutex before the other asks for it; then each waits for the one the other holds.
-- Expected: exit 3 (stuck); the diagnosis names the cycle ("reader holds mutex #1 and waits for
-- mutex #2; writer holds mutex #2 and waits for mutex #1"). The fix: mutex_order_fixed.lua.
local queue = vmm._CreateMutex(0, 0)  -- created at set-up, as a VxD does at Device_Init
local dma = vmm._CreateMutex(0, 0)
vmm.create_thread{name = "reader", priority = 1, body = function()
  vmm._EnterMutex(queue, vmm.Block_Svc_Ints)
  vmm.ring3(30)                        -- builds the request
  vmm._EnterMutex(dma, vmm.Block_Svc_Ints)
  vmm.log("reader programs the DMA channel")
  vmm._LeaveMutex(dma)
  vmm._LeaveMutex(queue)
end}
vmm.create_thread{name = "writer", priority = 1, body = function()
  vmm._EnterMutex(dma, vmm.Block_Svc_Ints)   -- the opposite order
  vmm.ring3(30)
  vmm._EnterMutex(queue, vmm.Block_Svc_Ints)
  vmm.log("writer queues the next buffer")
  vmm._LeaveMutex(queue)
  vmm._LeaveMutex(dma)
end}
