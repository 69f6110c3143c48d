-- Misuse row: a callback run by the idle thread sys that runs ring-3 code (model.md section 1). At
-- 1 ms no scenario thread exists, so the global event the interrupt schedules runs on sys.
-- Expected: exit 1, "idle_callback_error.lua:6: ring3: a callback run by the idle thread sys may not run ring-3 code".
vmm.at(1, function()
  vmm.Schedule_Global_Event(function()
    vmm.ring3(1)
  end, 0)
end)
