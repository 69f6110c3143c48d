-- Misuse rows, Lua face: every service error is a Lua error raised in the calling code, so pcall
-- catches it wherever the call is made (a body, an event callback, an interrupt handler). The
-- caught message starts with the service's name and carries no file:line (the position is added
-- only when nothing catches the error). This scenario checks each row's exact message and exits 0
-- only if all of them match; otherwise it fails (exit 1) listing the rows that did not.
-- Expected: exit 0, "pcall_catches_service_error: all rows matched".
local failures, rows = {}, 0

-- check: runs fn under pcall; its error must be exactly `expected` (which starts with `service`).
local function check(service, expected, fn)
  rows = rows + 1
  local ok, err = pcall(fn)
  if ok then
    failures[#failures + 1] = string.format("%s: no error (expected %q)", service, expected)
  elseif type(err) ~= "string" or err:sub(1, #service + 2) ~= service .. ": " then
    failures[#failures + 1] = string.format("%s: message does not start with the service: %s", service, tostring(err))
  elseif err ~= expected then
    failures[#failures + 1] = string.format("%s: got %q, expected %q", service, err, expected)
  end
end

local function nothing() end

-- Set-up calls at the top level: times beyond 10^12 ms do not fit the microsecond clock.
check("vmm.config", "vmm.config: max_time must be a positive number of milliseconds up to 1e+12, got 1e+300",
      function() vmm.config{max_time = 1e300} end)
check("vmm.at", "vmm.at: time must be a number of milliseconds from 0 to 1e+12, got 1e+300",
      function() vmm.at(1e300, nothing) end)

local V = vmm.create_vm{name = "V", priority = 0x100, body = function() vmm._BlockOnID("V idle") end}
local B = vmm.create_thread{name = "B", priority = 0x100, body = function() vmm._BlockOnID("B idle") end}
local F = vmm.create_thread{name = "F", priority = 0x100, body = function() end}  -- finishes at once

vmm.create_thread{name = "A", body = function()
  -- Flag mixes and unknown bits (seed 001).
  check("Call_Restricted_Event",
        "Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI",
        function() vmm.Call_Restricted_Event(0, 0, vmm.PEF_Wait_For_STI | vmm.PEF_Wait_For_Thread_STI, 0, nothing) end)
  check("Call_Restricted_Event", "Call_Restricted_Event: PEF_Wait_Crit may be applied only to global events (handle 0)",
        function() vmm.Call_Restricted_Event(0, V, vmm.PEF_Wait_Crit, 0, nothing) end)
  check("Call_Restricted_Event",
        "Call_Restricted_Event: PEF_Wait_Crit_VM may be set only when the handle is the System VM",
        function() vmm.Call_Restricted_Event(0, V, vmm.PEF_Wait_Crit_VM, 0, nothing) end)
  check("Call_Restricted_Event", "Call_Restricted_Event: PEF_Thread_Event needs a thread handle",
        function() vmm.Call_Restricted_Event(0, 0, vmm.PEF_Thread_Event, 0, nothing) end)
  check("Call_Restricted_Event", "Call_Restricted_Event: a thread handle needs PEF_Thread_Event",
        function() vmm.Call_Restricted_Event(0, B, 0, 0, nothing) end)
  check("Call_Priority_VM_Event",
        "Call_Priority_VM_Event: PEF_Thread_Event is not allowed; use Call_Restricted_Event",
        function() vmm.Call_Priority_VM_Event(0, V, vmm.PEF_Thread_Event, 0, nothing) end)
  check("Call_Restricted_Event",
        "Call_Restricted_Event: unknown flag bits 0x4000 (DDK \"Call_Restricted_Event\": all other values are reserved)",
        function() vmm.Call_Restricted_Event(0, 0, 0x4000, 0, nothing) end)
  check("_BlockOnID", "_BlockOnID: unknown flag bits 0x40", function() vmm._BlockOnID("x", 0x40) end)
  check("Wait_Semaphore", "Wait_Semaphore: unknown flag bits 0x80",
        function() vmm.Wait_Semaphore(vmm.Create_Semaphore(1), 0x80) end)
  -- Boosts (model.md section 3).
  check("Call_Restricted_Event", "Call_Restricted_Event: boost 0x-1 is outside 0 .. Reserved_High_Boost (0x40000000)",
        function() vmm.Call_Restricted_Event(-1, 0, 0, 0, nothing) end)
  check("Call_Restricted_Event",
        "Call_Restricted_Event: boost 0x40000001 is outside 0 .. Reserved_High_Boost (0x40000000)",
        function() vmm.Call_Restricted_Event(vmm.Reserved_High_Boost + 1, 0, 0, 0, nothing) end)
  check("Adjust_Thread_Exec_Priority",
        "Adjust_Thread_Exec_Priority: thread B holds boosts of 0x0; removing 0x10 would leave it below 0",
        function() vmm.Adjust_Thread_Exec_Priority(-0x10, B) end)
  check("Adjust_Exec_Priority", "Adjust_Exec_Priority: VM V holds boosts of 0x0; removing 0x1 would leave it below 0",
        function() vmm.Adjust_Exec_Priority(-1, V) end)
  -- Handles.
  check("Wait_Semaphore", "Wait_Semaphore: unknown semaphore handle 99", function() vmm.Wait_Semaphore(99) end)
  check("Signal_Semaphore", "Signal_Semaphore: unknown semaphore handle 0", function() vmm.Signal_Semaphore(0) end)
  check("Create_Semaphore", "Create_Semaphore: initial count -1 is negative", function() vmm.Create_Semaphore(-1) end)
  -- Stale handles and the wrong Cancel_* service (model.md section 3 "Cancel").
  local h = vmm.Schedule_Global_Event(nothing, 0)
  vmm.ring3(1)  -- a processing point: it runs
  check("Cancel_Global_Event",
        string.format("Cancel_Global_Event: stale event handle %d (its event already ran or was cancelled)", h),
        function() vmm.Cancel_Global_Event(h) end)
  h = vmm.Schedule_VM_Event(V, nothing, 0)
  vmm.Cancel_VM_Event(V, h)
  check("Cancel_VM_Event",
        string.format("Cancel_VM_Event: stale event handle %d (its event already ran or was cancelled)", h),
        function() vmm.Cancel_VM_Event(V, h) end)
  h = vmm.Schedule_Thread_Event(B, nothing, 0)
  check("Cancel_Restricted_Event",
        string.format("Cancel_Restricted_Event: handle %d belongs to a thread event for B #3 PEF_Always_Sched event; "
                      .. "cancel it with Cancel_Thread_Event", h),
        function() vmm.Cancel_Restricted_Event(h) end)
  check("Cancel_Thread_Event",
        string.format("Cancel_Thread_Event: handle %d is an event for thread B, not A", h),
        function() vmm.Cancel_Thread_Event(vmm.current_thread(), h) end)
  vmm.Cancel_Thread_Event(B, h)
  h = vmm.Call_Priority_VM_Event(0, V, vmm.PEF_Always_Sched, 0, nothing)
  check("Cancel_VM_Event",
        string.format("Cancel_VM_Event: handle %d belongs to a VM event for V #4 PEF_Always_Sched event; "
                      .. "cancel it with Cancel_Priority_VM_Event", h),
        function() vmm.Cancel_VM_Event(V, h) end)
  vmm.Cancel_Priority_VM_Event(h)
  h = vmm.Set_Global_Time_Out(100, nothing, 0)
  check("Cancel_Global_Event",
        string.format("Cancel_Global_Event: handle %d belongs to a Set_Global_Time_Out time-out; cancel it with "
                      .. "Cancel_Time_Out", h),
        function() vmm.Cancel_Global_Event(h) end)
  vmm.Cancel_Time_Out(h)
  -- Unmatched ends, nested execution.
  check("End_Nest_Exec", "End_Nest_Exec: no matching Begin_Nest_Exec", function() vmm.End_Nest_Exec() end)
  check("End_Critical_Section",
        "End_Critical_Section: the critical section is not owned (no matching Begin_Critical_Section)",
        function() vmm.End_Critical_Section() end)
  check("Resume_Exec", "Resume_Exec: not inside a nested execution block (call Begin_Nest_Exec first)",
        function() vmm.Resume_Exec() end)
  check("Exec_Int", "Exec_Int: not inside a nested execution block (call Begin_Nest_Exec first)",
        function() vmm.Exec_Int(0x21) end)
  check("ring3", "ring3: duration must be a number of milliseconds from 0 to 1e+12, got 1e+300",
        function() vmm.ring3(1e300) end)
  -- VMs, finished targets.
  check("Resume_VM", "Resume_VM: VM V is not suspended", function() vmm.Resume_VM(V) end)
  check("Schedule_Thread_Event", "Schedule_Thread_Event: thread F has finished",
        function() vmm.Schedule_Thread_Event(F, nothing, 0) end)
  -- The services drivers call beside the seeds' ones (issue #10).
  local M = vmm._CreateMutex(0, 0)
  check("_LeaveMutex", "_LeaveMutex: mutex #1 is not owned (no matching _EnterMutex)", function() vmm._LeaveMutex(M) end)
  check("_EnterMutex", "_EnterMutex: Block_Poll is reserved for this service (DDK)",
        function() vmm._EnterMutex(M, vmm.Block_Poll) end)
  check("_EnterMutex", "_EnterMutex: unknown mutex handle 99", function() vmm._EnterMutex(99, 0) end)
  check("_CreateMutex",
        "_CreateMutex: unknown flag bits 0x4 (MUTEX_MUST_COMPLETE = 1, MUTEX_NO_CLEANUP_THREAD_STATE = 2)",
        function() vmm._CreateMutex(0, 4) end)
  vmm._EnterMutex(M, 0)
  check("_DestroyMutex", "_DestroyMutex: mutex #1 is owned by A; it must be left first",
        function() vmm._DestroyMutex(M) end)
  vmm._LeaveMutex(M)
  check("Claim_Critical_Section", "Claim_Critical_Section: claim count -1 is outside 0 .. 0x7FFFFFFF",
        function() vmm.Claim_Critical_Section(-1, 0) end)
  check("End_Crit_And_Suspend", "End_Crit_And_Suspend: the critical section is not owned",
        function() vmm.End_Crit_And_Suspend() end)
  check("Set_Thread_Time_Out", "Set_Thread_Time_Out: thread F has finished",
        function() vmm.Set_Thread_Time_Out(1, F, nothing, 0) end)
  check("No_Fail_Resume_VM", "No_Fail_Resume_VM: VM V is not suspended", function() vmm.No_Fail_Resume_VM(V) end)
  -- Set-up calls during the run.
  check("vmm.config", "vmm.config: only at set-up time (the top level of the scenario), not during the run",
        function() vmm.config{time_slice = 10} end)
  check("vmm.at", "vmm.at: time 0.500 ms is in the past (now 1.000 ms)", function() vmm.at(0.5, nothing) end)
  -- Inside a PEF_Ring0_Event callback (seed 001).
  vmm.Call_Restricted_Event(0, 0, vmm.PEF_Ring0_Event, 0, function()
    check("_BlockOnID", "_BlockOnID: a PEF_Ring0_Event callback must not block (DDK \"Call_Restricted_Event\")",
          function() vmm._BlockOnID("x") end)
    check("Begin_Nest_Exec", "Begin_Nest_Exec: a PEF_Ring0_Event callback must not run ring-3 code (DDK \"Call_Restricted_Event\")",
          function() vmm.Begin_Nest_Exec() end)
    check("ring3", "ring3: a PEF_Ring0_Event callback must not run ring-3 code (DDK \"Call_Restricted_Event\")",
          function() vmm.ring3(1) end)
    check("Begin_Critical_Section",
          "Begin_Critical_Section: a PEF_Ring0_Event callback must not take the critical section (DDK \"Call_Restricted_Event\")",
          function() vmm.Begin_Critical_Section() end)
    check("Adjust_Thread_Exec_Priority",
          "Adjust_Thread_Exec_Priority: a PEF_Ring0_Event callback must not adjust an execution priority (DDK \"Call_Restricted_Event\")",
          function() vmm.Adjust_Thread_Exec_Priority(1, B) end)
  end)
  vmm.ring3(2)  -- the interrupt at 2 ms arrives in here
  vmm._SignalID("V idle")
  vmm._SignalID("B idle")
end}

-- At interrupt time (model.md section 3).
vmm.at(2, function()
  check("_BlockOnID", "_BlockOnID: may not be called at interrupt time (model.md section 3)",
        function() vmm._BlockOnID("x") end)
  check("Begin_Critical_Section", "Begin_Critical_Section: may not be called at interrupt time (model.md section 3)",
        function() vmm.Begin_Critical_Section() end)
  check("ring3", "ring3: may not be called at interrupt time (model.md section 3)", function() vmm.ring3(1) end)
end)

-- In a callback run by the idle thread sys (model.md section 1): nothing else can run at 10 ms.
vmm.at(10, function()
  vmm.Schedule_Global_Event(function(e)
    assert(e.thread.name == "sys", "expected the idle thread, got " .. e.thread.name)
    check("_BlockOnID", "_BlockOnID: a callback run by the idle thread sys may not block (model.md section 1)",
          function() vmm._BlockOnID("x") end)
    check("ring3", "ring3: a callback run by the idle thread sys may not run ring-3 code (model.md section 1)",
          function() vmm.ring3(1) end)
  end, 0)
end)

vmm.on_exit(function(outcome)
  if outcome ~= "finished" then error("outcome " .. outcome) end
  if #failures > 0 then error(#failures .. " of " .. rows .. " rows failed:\n" .. table.concat(failures, "\n")) end
  vmm.log("pcall_catches_service_error: all rows matched (%d)", rows)
end)
