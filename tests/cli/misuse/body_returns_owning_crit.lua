-- Misuse row: a body returning while its thread owns the critical section (model.md section 1). It
-- is detected after the body returned, so no pcall can catch it; the message names the thread.
-- Expected: exit 1, "error: A: body returned while owning the critical section".
vmm.create_thread{name = "A", body = function()
  vmm.Begin_Critical_Section()
  vmm.ring3(1)
end}
