-- A scenario that finishes (exit 0): the command-line misuse rows give it to vmmsim with bad options.
vmm.create_thread{name = "A", body = function() vmm.ring3(1) end}
