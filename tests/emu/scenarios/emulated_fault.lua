-- emulated_fault.lua: an emulated driver reads address 0x10 (unmapped). Expected: exit 1; the error
-- names the driver, the call, the address and the symbol; the lines logged before it are printed.
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/emu_pic.elf")
vmm.create_thread{name = "T", body = function()
  vmm.log("before the call")
  drv.call("null_read")
  vmm.log("never logged")
end}
