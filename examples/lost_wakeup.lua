-- The lost wake-up (seed 002).
-- "If a virtual device initiates an operation, it may be that the operation completes and the Block
-- ID is signalled before the virtual device gets to call _BlockOnID ... The virtual device ends up
-- blocking waiting for a signal that has already arrived." Here the device's interrupt completes the
-- operation at 1 ms, while the driver still runs ring-3 code until 2 ms; _SignalID remembers nothing.
-- Expected: exit 3 (stuck); the diagnosis names the lost wake-up. The fix: lost_wakeup_fixed.lua.
local DISK = "disk-request"
vmm.create_thread{name = "driver", body = function()
  vmm.log("start the disk operation")
  vmm.at(vmm.now() + 1, function() vmm._SignalID(DISK) end)  -- completion interrupt
  vmm.ring3(2)                        -- the driver is not blocked yet when the signal comes
  vmm._BlockOnID(DISK, 0)             -- waits for a signal that has already arrived
  vmm.log("operation complete")
end}
