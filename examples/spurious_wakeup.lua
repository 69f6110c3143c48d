-- The spurious wake-up (seed 002).
-- "Block IDs are not guaranteed to be unique to the caller; an unrelated piece of code may signal
-- the ID in order to awaken a thread that it has blocked and cause this one to be spuriously
-- awakened." Two unrelated drivers use the same ID (the same buffer address). The keyboard driver's
-- signal wakes the serial driver too, which assumes its data has arrived.
-- Expected: exit 1 (error: the serial driver's assertion fails). The fix: spurious_wakeup_fixed.lua.
local SHARED_ID = 0x80001000          -- both drivers block on the address of a shared buffer
local serial_data = nil
vmm.create_thread{name = "serial", body = function()
  vmm._BlockOnID(SHARED_ID, 0)
  assert(serial_data ~= nil, "serial: woken but no data arrived (spurious wake-up)")
end}
vmm.create_thread{name = "keyboard", body = function()
  vmm._BlockOnID(SHARED_ID, 0)
  vmm.log("keyboard: key arrived")
end}
vmm.at(1, function() vmm._SignalID(SHARED_ID) end)                        -- the keyboard interrupt
vmm.at(5, function() serial_data = "ATZ"; vmm._SignalID(SHARED_ID) end)   -- the serial interrupt
