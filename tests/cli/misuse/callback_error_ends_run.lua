-- Misuse row: an error inside an event callback is not the queuing thread's error: the pcall in the
-- body that queued the event does not catch it, and the run ends (exit 1) naming the callback's line.
-- Expected: exit 1, "callback_error_ends_run.lua:7: End_Nest_Exec: no matching Begin_Nest_Exec".
vmm.create_thread{name = "A", body = function()
  local ok = pcall(function()
    vmm.Schedule_Global_Event(function()
      vmm.End_Nest_Exec()
    end, 0)
    vmm.ring3(1)  -- the event runs here, in A, inside this pcall
  end)
  error("not reached: the body's pcall returned " .. tostring(ok))
end}
