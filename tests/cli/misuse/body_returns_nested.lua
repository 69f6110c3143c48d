-- Misuse row: a body returning inside nested execution (model.md section 1).
-- Expected: exit 1, "error: A: body returned inside nested execution (missing End_Nest_Exec)".
vmm.create_thread{name = "A", body = function()
  vmm.Begin_Nest_Exec()
  vmm.Resume_Exec(1)
end}
