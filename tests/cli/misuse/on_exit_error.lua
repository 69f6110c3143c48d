-- Misuse row: a Lua error in vmm.on_exit (scenario-api.md: "an error in it makes the exit code 1").
-- Expected: exit 1, "on_exit_error.lua:5: no report for finished".
vmm.create_thread{name = "A", body = function() vmm.ring3(1) end}
vmm.on_exit(function(outcome)
  error("no report for " .. outcome)
end)
