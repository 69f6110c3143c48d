-- observes_gc.lua: a scenario that reads how much memory Lua uses. Runs that reach the same state
-- by different orders have different garbage, so explore --reduce refuses it (a usage error);
-- plain explore is fine with it.
for i = 1, 2 do
  vmm.create_thread{name = "T" .. i, body = function()
    local kib = collectgarbage("count")
    vmm.log("%s sees %s KiB", vmm.current_thread().name, kib > 0 and "some" or "no")
  end}
end
