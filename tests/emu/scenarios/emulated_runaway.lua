-- emulated_runaway.lua: run with --max-steps 5000. An emulated loop of 100000 services stays within
-- the budget (each service starts it again); a loop that never calls the VMM is a runaway. Expected:
-- exit 5 (time_limit); the message names the driver, the call, the address and the limit.
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/emu_pic.elf")
vmm.create_thread{name = "T", body = function()
  drv.call("spin_services", 100000)
  vmm.log("100000 services within the budget")
  drv.call("spin_forever")
  vmm.log("never logged")
end}
