-- Misuse row: Suspend_VM of the System VM and of a VM owning the critical section fail (DDK). Not an
-- error: Suspend_VM returns false (the DDK's carry flag) and the log carries a warning.
-- Expected: exit 0, "warning: Suspend_VM fails: the System VM cannot be suspended (DDK)" and
-- "warning: Suspend_VM fails: VM V owns the critical section (DDK)".
local V = vmm.create_vm{name = "V", priority = 0x100, body = function()
  vmm.Begin_Critical_Section()
  vmm._BlockOnID("V waits")
  vmm.End_Critical_Section()
end}
vmm.create_thread{name = "A", body = function()
  assert(vmm.Suspend_VM(vmm.sys_vm) == false, "Suspend_VM(sys_vm) must return false")
  assert(vmm.Suspend_VM(V) == false, "Suspend_VM of the owner's VM must return false")
  vmm._SignalID("V waits")
end}
