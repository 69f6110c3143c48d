-- runaway_body.lua: a body that never calls vmm again after its first ring3.
-- Expected with --max-steps 5000: exit 5, "runaway: thread spinner ... at runaway_body.lua:5".
vmm.create_thread{name = "spinner", body = function()
  vmm.ring3(1)
  local n = 0 while true do n = n + 1 end
end}
