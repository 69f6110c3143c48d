-- Misuse row: a Lua syntax error. vmmsim names the file and the line and exits 1 before any run.
-- Expected: exit 1, "syntax_error.lua:5: <name> expected near '='".
local ok = true

local = 2
