-- The spurious wake-up, fixed with the re-check loop (seed 002).
-- "When this service returns the caller must check for a spurious wake up and call _BlockOnID again
-- if this has occurred." Each driver loops until its own condition holds.
-- Expected: exit 0 (finished).
local SHARED_ID = 0x80001000
local serial_data, key = nil, nil
vmm.create_thread{name = "serial", body = function()
  while serial_data == nil do vmm._BlockOnID(SHARED_ID, 0) end
  vmm.log("serial: got %s", serial_data)
end}
vmm.create_thread{name = "keyboard", body = function()
  while key == nil do vmm._BlockOnID(SHARED_ID, 0) end
  vmm.log("keyboard: got %s", key)
end}
vmm.at(1, function() key = "A"; vmm._SignalID(SHARED_ID) end)
vmm.at(5, function() serial_data = "ATZ"; vmm._SignalID(SHARED_ID) end)
