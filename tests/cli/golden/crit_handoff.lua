-- Golden: the critical section (model.md section 5): nested claims count; Critical_Section_Boost on
-- the first claim; at the last release the section goes to the highest-priority waiter, FIFO among
-- equals, with its boost; Call_When_Not_Critical runs only at a real release (no waiter left), and
-- then only the most recently installed callback: the first one waits for the owner's next release.
-- exit: 0
vmm.create_thread{name = "owner", priority = 5, body = function()
  vmm.Begin_Critical_Section(0)
  vmm.Begin_Critical_Section(0)
  vmm.log("claims twice, priority 0x%X", vmm.current_thread().priority)
  vmm.Call_When_Not_Critical(function() vmm.log("first Call_When_Not_Critical") end, 0)
  vmm.Call_When_Not_Critical(function() vmm.log("second Call_When_Not_Critical") end, 0)
  vmm._BlockOnID("io", 0)       -- waits for I/O owning the section: the others queue for it
  vmm.End_Critical_Section()
  vmm.log("one claim left, priority 0x%X", vmm.current_thread().priority)
  vmm.End_Critical_Section()
  vmm.log("released, priority 0x%X", vmm.current_thread().priority)
  vmm.ring3(1)
  vmm.Begin_Critical_Section(0)  -- a second release runs the first callback
  vmm.End_Critical_Section()
end}
for _, w in ipairs{{"low", 1}, {"high-1", 3}, {"high-2", 3}} do
  vmm.create_thread{name = w[1], priority = w[2], body = function()
    vmm.Begin_Critical_Section(0)
    vmm.log("got the section, priority 0x%X", vmm.current_thread().priority)
    vmm.End_Critical_Section()
  end}
end
vmm.at(5, function() vmm._SignalID("io") end)
