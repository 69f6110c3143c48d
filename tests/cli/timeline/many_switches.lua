-- 20,000 context switches (issue 14: the page of a long run stays under a few MB): two threads
-- hand the CPU back and forth through block IDs with seed 002's flag and re-check loop, 0.01 ms
-- of ring-3 work per turn.
-- exit: 0
local N = 10000
local turn = "ping"
local function hand_to(name)
  turn = name
  vmm._SignalID(name)
end
local function wait_turn(name)
  while turn ~= name do vmm._BlockOnID(name, 0) end
end
vmm.create_thread{name = "ping", body = function()
  for i = 1, N do
    wait_turn("ping")
    vmm.ring3(0.01)
    hand_to("pong")
  end
end}
vmm.create_thread{name = "pong", body = function()
  for i = 1, N do
    wait_turn("pong")
    vmm.ring3(0.01)
    hand_to("ping")
  end
end}
