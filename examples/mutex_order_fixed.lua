-- The mutex-ordering deadlock fixed (see mutex_order_deadlock.lua): both threads take the queue
-- mutex before the DMA mutex, one global order, so no cycle of waits can form.
-- Expected: exit 0 (finished).
local queue = vmm._CreateMutex(0, 0)
local dma = vmm._CreateMutex(0, 0)
vmm.create_thread{name = "reader", priority = 1, body = function()
  vmm._EnterMutex(queue, vmm.Block_Svc_Ints)
  vmm.ring3(30)
  vmm._EnterMutex(dma, vmm.Block_Svc_Ints)
  vmm.log("reader programs the DMA channel")
  vmm._LeaveMutex(dma)
  vmm._LeaveMutex(queue)
end}
vmm.create_thread{name = "writer", priority = 1, body = function()
  vmm._EnterMutex(queue, vmm.Block_Svc_Ints)  -- the same order as the reader
  vmm.ring3(30)
  vmm._EnterMutex(dma, vmm.Block_Svc_Ints)
  vmm.log("writer queues the next buffer")
  vmm._LeaveMutex(dma)
  vmm._LeaveMutex(queue)
end}
