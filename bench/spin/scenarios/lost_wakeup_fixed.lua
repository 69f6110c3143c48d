-- The lost wake-up, fixed with the seed's flag (seed 002), scaled to N threads: the Lua twin of
-- bench/spin/lost_wakeup_fixed.pml. VMMSIM_N=4 vmmsim run ... (default 2).
-- As lost_wakeup_buggy.lua, but "a user maintained flag is used ... The flag is set before calling
-- _BlockOnID the first time and cleared when _SignalID is called": pending[d] is set when the
-- request starts (at set-up), DEV clears it before signalling, and a driver blocks only while it is
-- still set, re-checking after every wake-up. A completion that comes first is not lost.
-- Expected: exit 0 in every schedule.
local N = math.tointeger(tonumber(os.getenv("VMMSIM_N") or "2"))
assert(N and N >= 2, "VMMSIM_N must be an integer >= 2")
local pending = {}
for d = 1, N - 1 do pending[d] = true end        -- set before the request starts
for d = 1, N - 1 do
  vmm.create_thread{name = "D" .. d, body = function()
    while pending[d] do vmm._BlockOnID("request-" .. d, 0) end
    vmm.log("request %d complete", d)
  end}
end
vmm.create_thread{name = "DEV", body = function()
  for d = 1, N - 1 do
    pending[d] = false                           -- cleared, then signalled
    vmm._SignalID("request-" .. d)
  end
end}
