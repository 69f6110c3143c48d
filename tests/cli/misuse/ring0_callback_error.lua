-- Misuse row: a PEF_Ring0_Event callback that blocks (seed 001: "They must not block on any
-- synchronization objects"), not caught.
-- Expected: exit 1, "ring0_callback_error.lua:6: _BlockOnID: a PEF_Ring0_Event callback must not block (DDK "Call_Restricted_Event")".
vmm.create_thread{name = "A", body = function()
  vmm.Call_Restricted_Event(0, 0, vmm.PEF_Ring0_Event, 0, function()
    vmm._BlockOnID("data ready")
  end)
end}
