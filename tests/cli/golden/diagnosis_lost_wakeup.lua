-- Golden: the stuck diagnosis names a lost wake-up (seed 002).
-- exit: 3
local DISK = "disk-request"
vmm.create_thread{name = "driver", body = function()
  vmm.log("start the disk operation")
  vmm.at(vmm.now() + 1, function() vmm._SignalID(DISK) end)  -- completion interrupt
  vmm.ring3(2)                        -- the driver is not blocked yet when the signal comes
  vmm._BlockOnID(DISK, 0)             -- waits for a signal that has already arrived
  vmm.log("operation complete")
end}
