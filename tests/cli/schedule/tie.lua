-- A tie between two equal-priority threads (model.md section 2): by default A, created first,
-- runs first; a schedule that takes the other option at the first choice point runs B first.
local first = nil
vmm.create_thread{name = "A", body = function() first = first or "A" end}
vmm.create_thread{name = "B", body = function()
  first = first or "B"
  assert(first == "A", "B ran before A")
end}
