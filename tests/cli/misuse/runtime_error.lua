-- Misuse row: a Lua runtime error inside a thread body. vmmsim names the file and the line of the
-- failing statement and exits 1.
-- Expected: exit 1, "runtime_error.lua:8: attempt to index a nil value (local 'config')".
vmm.create_thread{name = "A", body = function()
  vmm.ring3(1)
  local config = nil
  -- the error:
  local slice = config.time_slice
  vmm.log("not reached %s", slice)
end}
