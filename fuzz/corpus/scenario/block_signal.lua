vmm.create_thread{name = "A", body = function() vmm._BlockOnID("x", vmm.Block_Svc_Ints) end}
vmm.at(1, function() vmm._SignalID("x") end)
