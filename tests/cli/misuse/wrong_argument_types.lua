-- Misuse rows: vmm.* functions given arguments of the wrong type or out of range. Each raises a Lua
-- error "<function>: argument #<n> '<name>' must be ..., got <type>" that pcall catches; this
-- scenario checks each exact message and exits 0 only if all of them match.
-- Expected: exit 0, "wrong_argument_types: all rows matched".
local failures, rows = {}, 0

local function check(expected, fn)
  rows = rows + 1
  local ok, err = pcall(fn)
  if ok then
    failures[#failures + 1] = string.format("no error (expected %q)", expected)
  elseif err ~= expected then
    failures[#failures + 1] = string.format("got %q, expected %q", tostring(err), expected)
  end
end

local function f() end
local V = vmm.create_vm{name = "V", priority = 0x100, body = function() vmm._BlockOnID("V idle") end}

-- Set-up calls (the top level of the file).
check("vmm.config: argument #1 must be a table of fields, got number", function() vmm.config(5) end)
check("vmm.config: unknown field 'maxtime'", function() vmm.config{maxtime = 5} end)
check("vmm.config: field 'max_time' must be a number of milliseconds, got string",
      function() vmm.config{max_time = "long"} end)
check("vmm.create_thread: argument #1 must be a table of fields, got string", function() vmm.create_thread("A") end)
check("vmm.create_thread: field 'name' must be a string, got number", function() vmm.create_thread{name = 1, body = f} end)
check("vmm.create_thread: field 'body' must be a function, got number",
      function() vmm.create_thread{name = "X", body = 1} end)
check("vmm.create_thread: field 'priority' must be an integer, got number",
      function() vmm.create_thread{name = "X", body = f, priority = 0.5} end)
check("vmm.create_thread: unknown field 'prio'", function() vmm.create_thread{name = "X", body = f, prio = 1} end)
check("vmm.create_vm: field 'pm' must be a boolean, got number",
      function() vmm.create_vm{name = "X", body = f, pm = 1} end)
check("vmm.at: argument #1 'ms' must be a number of milliseconds, got string", function() vmm.at("1", f) end)
check("vmm.at: argument #2 'fn' must be a function, got no value", function() vmm.at(1) end)
check("vmm.every: argument #3 'count' must be at least 1, got 0", function() vmm.every(1, f, 0) end)
check("vmm.on_exit: argument #1 'fn' must be a function, got number", function() vmm.on_exit(1) end)

vmm.create_thread{name = "A", body = function()
  check("vmm.ring3: argument #1 'ms' must be a number of milliseconds, got string", function() vmm.ring3("x") end)
  check("vmm.ring3: argument #1 'ms' must be a number of milliseconds, got no value", function() vmm.ring3() end)
  check("vmm.hw_int: argument #1 'ms' must be a number of milliseconds, got table", function() vmm.hw_int({}) end)
  check("vmm.set_pm: argument #1 'protected_mode' must be a boolean, got number", function() vmm.set_pm(1) end)
  check("vmm.set_v86_ints_locked: argument #1 'locked' must be a boolean, got string",
        function() vmm.set_v86_ints_locked("yes") end)
  check("vmm.log: argument #1 'fmt' must be a string, got table", function() vmm.log({}) end)
  check("Call_Restricted_Event: argument #1 'boost' must be an integer, got string",
        function() vmm.Call_Restricted_Event("0", 0, 0, 0, f) end)
  check("Call_Restricted_Event: argument #1 'boost' must be an integer, got 0.5",
        function() vmm.Call_Restricted_Event(0.5, 0, 0, 0, f) end)
  check("Call_Restricted_Event: argument #2 'handle' must be 0 (a global event), a VM or a thread, got 5",
        function() vmm.Call_Restricted_Event(0, 5, 0, 0, f) end)
  check("Call_Restricted_Event: argument #3 'flags' must be a 32-bit flag set, got -1",
        function() vmm.Call_Restricted_Event(0, 0, -1, 0, f) end)
  check("Call_Restricted_Event: argument #5 'callback' must be a function, got string",
        function() vmm.Call_Restricted_Event(0, 0, 0, 0, "f") end)
  check("Call_Restricted_Event: argument #6 'timeout_ms' must be a number of milliseconds, got string",
        function() vmm.Call_Restricted_Event(0, 0, vmm.PEF_Time_Out, 0, f, "5") end)
  check("Call_Priority_VM_Event: argument #2 'vm' must be a VM, got thread",
        function() vmm.Call_Priority_VM_Event(0, vmm.current_thread(), 0, 0, f) end)
  check("Call_Global_Event: argument #1 'callback' must be a function, got number",
        function() vmm.Call_Global_Event(0, f) end)
  check("Call_VM_Event: argument #1 'vm' must be a VM, got number", function() vmm.Call_VM_Event(0, f, 0) end)
  check("Schedule_Thread_Event: argument #1 'thread' must be a thread, got VM",
        function() vmm.Schedule_Thread_Event(V, f, 0) end)
  check("Cancel_Restricted_Event: argument #1 'handle' must be an integer, got 1.5",
        function() vmm.Cancel_Restricted_Event(1.5) end)
  check("Cancel_Thread_Event: argument #1 'thread' must be a thread, got VM", function() vmm.Cancel_Thread_Event(V, 1) end)
  check("Adjust_Exec_Priority: argument #1 'delta' must be an integer, got VM",
        function() vmm.Adjust_Exec_Priority(V, 1) end)
  check("Begin_Critical_Section: argument #1 'flags' must be an integer, got string",
        function() vmm.Begin_Critical_Section("x") end)
  check("_BlockOnID: argument #1 'id' must be an integer or a string, got nil", function() vmm._BlockOnID(nil) end)
  check("_SignalID: argument #1 'id' must be an integer or a string, got 1.5", function() vmm._SignalID(1.5) end)
  check("Wait_Semaphore: argument #1 'semaphore' must be an integer, got nil", function() vmm.Wait_Semaphore(nil) end)
  check("Suspend_VM: argument #1 'vm' must be a VM, got string", function() vmm.Suspend_VM("V") end)
  check("Resume_Exec: argument #1 'ms' must be a number of milliseconds, got string",
        function() vmm.Resume_Exec("1") end)
  check("Exec_Int: argument #1 'n' must be an interrupt number 0..255, got 256", function() vmm.Exec_Int(256) end)
  check("Set_Global_Time_Out: argument #1 'ms' must be a finite number >= 0, got -1.0",
        function() vmm.Set_Global_Time_Out(-1, f) end)
  check("cannot set field 'priority' of a thread: its fields are read-only",
        function() vmm.current_thread().priority = 5 end)
  vmm._SignalID("V idle")
end}

vmm.on_exit(function(outcome)
  if outcome ~= "finished" then error("outcome " .. outcome) end
  if #failures > 0 then error(#failures .. " of " .. rows .. " rows failed:\n" .. table.concat(failures, "\n")) end
  vmm.log("wrong_argument_types: all rows matched (%d)", rows)
end)
