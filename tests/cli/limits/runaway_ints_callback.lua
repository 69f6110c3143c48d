-- runaway_ints_callback.lua: a Call_When_VM_Ints_Enabled callback, run at once inside the service
-- call, that never returns. Expected with --max-steps 5000: exit 5, "runaway: thread A ...".
vmm.create_thread{name = "A", body = function()
  vmm.Call_When_VM_Ints_Enabled(function(e) while true do end end)
  vmm.ring3(5)
end}
