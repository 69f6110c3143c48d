-- emulated_refusals.lua: what drv.call refuses for an emulated driver, each a Lua error the scenario
-- catches: a string argument, an integer wider than 32 bits, a function it does not export.
-- Expected: exit 0, each message logged.
local drv = vmm.load_vxd(os.getenv("VMMSIM_I386_DIR") .. "/emu_pic.elf")
vmm.create_thread{name = "T", body = function()
  for _, call in ipairs{{"add3", "text"}, {"add3", 1 << 40}, {"nothing_here"}} do
    local ok, err = pcall(drv.call, table.unpack(call))
    vmm.log("%s %s", tostring(ok), err)
  end
end}
