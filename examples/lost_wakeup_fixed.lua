-- The lost wake-up, fixed with the seed's flag (seed 002).
-- "Typically a user maintained flag is used for this. The flag is set before calling _BlockOnID the
-- first time and cleared when _SignalID is called." The driver sets `pending` before starting the
-- operation and blocks only while it is still set, so a completion that comes first is not lost.
-- Expected: exit 0 (finished).
local DISK = "disk-request"
local pending = false
vmm.create_thread{name = "driver", body = function()
  pending = true
  vmm.at(vmm.now() + 1, function() pending = false; vmm._SignalID(DISK) end)
  vmm.ring3(2)
  while pending do vmm._BlockOnID(DISK, 0) end
  vmm.log("operation complete")
end}
