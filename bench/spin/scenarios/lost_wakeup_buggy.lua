-- The lost wake-up (seed 002), scaled to N threads: the Lua twin of bench/spin/lost_wakeup_buggy.pml.
-- VMMSIM_N=4 vmmsim run ... (default 2).
-- Drivers D1 .. D(N-1) each have a disk request in flight (started at set-up) and wait for it with
-- _BlockOnID(its ID, 0); the device thread DEV completes every request and signals its ID. All have
-- priority 0, so who runs first is a tie. In the default order (creation order) every driver blocks
-- before DEV runs: exit 0. If the scheduler picks DEV before some driver has blocked, that driver's
-- signal comes first and is lost (_SignalID remembers nothing): exit 3 (stuck), "lost wake-up".
-- The smallest such schedule: at the first choice point (time 0, all N threads tied) pick DEV,
-- option N-1 of the tie (options in creation order): --schedule of picks {0: N-1}.
-- The fix: lost_wakeup_fixed.lua.
local N = math.tointeger(tonumber(os.getenv("VMMSIM_N") or "2"))
assert(N and N >= 2, "VMMSIM_N must be an integer >= 2")
for d = 1, N - 1 do
  vmm.create_thread{name = "D" .. d, body = function()
    vmm._BlockOnID("request-" .. d, 0)           -- waits for its request to complete
    vmm.log("request %d complete", d)
  end}
end
vmm.create_thread{name = "DEV", body = function()
  for d = 1, N - 1 do vmm._SignalID("request-" .. d) end   -- completes every request
end}
