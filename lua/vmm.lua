---@meta vmm
-- vmm.lua: LuaLS annotations of the `vmm` table that vmmsim gives every scenario (docs/scenario-api.md
-- is the reference). Never run: the language server reads it for completion and checks.
-- tests/lua/stubs_test.cpp fails when this file and the binding (src/lua/) list different entries.

---A thread (read-only fields).
---@class vmm.Thread
---@field name string
---@field priority integer its execution priority: base + every boost it and its VM hold
---@field vm vmm.VM
---@field finished boolean

---A VM (read-only fields).
---@class vmm.VM
---@field name string
---@field priority integer the boosts the VM itself holds
---@field thread vmm.Thread? its one thread (nil for the System VM)

---What an event, time-out or idle callback receives.
---@class vmm.Event
---@field vm vmm.VM where it runs
---@field thread vmm.Thread where it runs
---@field refdata any what was passed with the callback
---@field timed_out boolean a time-out ran it (the DDK's carry flag)
---@field handle integer the event's handle

---@alias vmm.Callback fun(e: vmm.Event)

---@class vmm.ConfigFields
---@field time_slice number? ms, default 20
---@field starve_ms number? ms, default 1000
---@field max_time number? ms, default 60000

---@class vmm.ThreadSpec
---@field name string
---@field body fun()
---@field priority integer? default 0

---@class vmm.VMSpec
---@field name string
---@field body fun()
---@field priority integer? default 0
---@field pm boolean? start in protected mode (default false)

---A C driver loaded by vmm.load_vxd.
---@class vmm.Driver
---@field name string the name its VMMSIM_DECLARE_VXD gives
local Driver = {}

---Calls one of the driver's exported C functions (at most six integer, string, thread or VM arguments).
---@param fname string
---@return integer
function Driver.call(fname, ...) end

---The driver's exported C function as a Lua function (for vmm.at, vmm.every or as a callback).
---@param fname string
---@return function
function Driver.fn(fname) end

---@class vmm
vmm = {}

---The System VM.
---@type vmm.VM
vmm.sys_vm = nil

---Set-up only: any of time_slice, starve_ms, max_time (milliseconds > 0).
---@param fields vmm.ConfigFields
function vmm.config(fields) end

---A new System VM thread (VMMCreateThread).
---@param spec vmm.ThreadSpec
---@return vmm.Thread
function vmm.create_thread(spec) end

---A new VM with one thread (named like the VM).
---@param spec vmm.VMSpec
---@return vmm.VM
function vmm.create_vm(spec) end

---A hardware interrupt at virtual time ms: fn runs at interrupt time.
---@param ms number
---@param fn fun()
function vmm.at(ms, fn) end

---A periodic interrupt every ms (first at ms), count times (default: forever).
---@param ms number
---@param fn fun()
---@param count? integer
function vmm.every(ms, fn, count) end

---fn(outcome) runs after the run: "finished", "stuck", "starved" or "time_limit".
---@param fn fun(outcome: string)
function vmm.on_exit(fn) end

---Virtual time in milliseconds.
---@return number
function vmm.now() end

---The current thread (the interrupted one at interrupt time; nil outside the run).
---@return vmm.Thread?
function vmm.current_thread() end

---The current VM (nil outside the run).
---@return vmm.VM?
function vmm.current_vm() end

---string.format(fmt, ...) as a line of the log.
---@param fmt string
---@param ... any
function vmm.log(fmt, ...) end

---Run application code for ms: a processing point, then interruptible, time-sliced ring-3 execution.
---@param ms number
function vmm.ring3(ms) end

---Clear this thread's ring-3 interrupt flag.
function vmm.cli() end

---Set this thread's ring-3 interrupt flag.
function vmm.sti() end

---Protected mode on / off for this thread.
---@param protected_mode boolean
function vmm.set_pm(protected_mode) end

---The VM's V86IntsLocked status bit.
---@param locked boolean
function vmm.set_v86_ints_locked(locked) end

---Run a simulated hardware interrupt handler for ms.
---@param ms number
function vmm.hw_int(ms) end

---DDK "Call_Restricted_Event": handle is 0 (global), a VM, or a thread with PEF_Thread_Event. Returns the event handle, 0 if it ran at once.
---@param boost integer
---@param handle vmm.Thread|vmm.VM|0
---@param flags integer PEF_* flags
---@param refdata any
---@param callback vmm.Callback
---@param timeout_ms? number with PEF_Time_Out
---@return integer event handle
function vmm.Call_Restricted_Event(boost, handle, flags, refdata, callback, timeout_ms) end

---DDK "Cancel_Restricted_Event".
---@param handle integer
function vmm.Cancel_Restricted_Event(handle) end

---DDK "Call_Priority_VM_Event". Returns the event handle, 0 if it ran at once.
---@param boost integer
---@param vm vmm.VM
---@param flags integer PEF_* flags
---@param refdata any
---@param callback vmm.Callback
---@param timeout_ms? number with PEF_Time_Out
---@return integer event handle
function vmm.Call_Priority_VM_Event(boost, vm, flags, refdata, callback, timeout_ms) end

---DDK "Cancel_Priority_VM_Event".
---@param handle integer
function vmm.Cancel_Priority_VM_Event(handle) end

---DDK "Call_Global_Event": the event handle, 0 if it ran at once.
---@param callback vmm.Callback
---@param refdata? any
---@return integer event handle
function vmm.Call_Global_Event(callback, refdata) end

---DDK "Schedule_Global_Event".
---@param callback vmm.Callback
---@param refdata? any
---@return integer event handle
function vmm.Schedule_Global_Event(callback, refdata) end

---DDK "Cancel_Global_Event".
---@param handle integer
function vmm.Cancel_Global_Event(handle) end

---DDK "Call_VM_Event": the event handle, 0 if it ran at once.
---@param vm vmm.VM
---@param callback vmm.Callback
---@param refdata? any
---@return integer event handle
function vmm.Call_VM_Event(vm, callback, refdata) end

---DDK "Schedule_VM_Event".
---@param vm vmm.VM
---@param callback vmm.Callback
---@param refdata? any
---@return integer event handle
function vmm.Schedule_VM_Event(vm, callback, refdata) end

---DDK "Cancel_VM_Event".
---@param vm vmm.VM
---@param handle integer
function vmm.Cancel_VM_Event(vm, handle) end

---DDK "Schedule_Thread_Event".
---@param thread vmm.Thread
---@param callback vmm.Callback
---@param refdata? any
---@return integer event handle
function vmm.Schedule_Thread_Event(thread, callback, refdata) end

---DDK "Cancel_Thread_Event".
---@param thread vmm.Thread
---@param handle integer
function vmm.Cancel_Thread_Event(thread, handle) end

---DDK "Call_When_Not_Critical": one-shot, when the critical section is released.
---@param callback vmm.Callback
---@param refdata? any
function vmm.Call_When_Not_Critical(callback, refdata) end

---DDK "Call_When_VM_Ints_Enabled": one-shot.
---@param callback vmm.Callback
---@param refdata? any
function vmm.Call_When_VM_Ints_Enabled(callback, refdata) end

---DDK "Call_When_Idle": the callback returns true when it used the idle time.
---@param callback fun(e: vmm.Event): boolean?
function vmm.Call_When_Idle(callback) end

---DDK "Set_Global_Time_Out".
---@param ms number
---@param callback vmm.Callback
---@param refdata? any
---@return integer time-out handle
function vmm.Set_Global_Time_Out(ms, callback, refdata) end

---DDK "Set_VM_Time_Out": counts the VM's execution time.
---@param ms number
---@param vm vmm.VM
---@param callback vmm.Callback
---@param refdata? any
---@return integer time-out handle
function vmm.Set_VM_Time_Out(ms, vm, callback, refdata) end

---DDK "Set_Thread_Time_Out": counts the thread's execution time.
---@param ms number
---@param thread vmm.Thread
---@param callback vmm.Callback
---@param refdata? any
---@return integer time-out handle
function vmm.Set_Thread_Time_Out(ms, thread, callback, refdata) end

---DDK "Set_Async_Time_Out": the callback runs at interrupt time.
---@param ms number
---@param callback vmm.Callback
---@param refdata? any
---@return integer time-out handle
function vmm.Set_Async_Time_Out(ms, callback, refdata) end

---DDK "Cancel_Time_Out".
---@param handle integer
function vmm.Cancel_Time_Out(handle) end

---DDK "Get_System_Time": whole ms since the run started.
---@return integer
function vmm.Get_System_Time() end

---DDK "Adjust_Exec_Priority".
---@param delta integer
---@param vm vmm.VM
function vmm.Adjust_Exec_Priority(delta, vm) end

---DDK "Adjust_Thread_Exec_Priority".
---@param delta integer
---@param thread vmm.Thread
function vmm.Adjust_Thread_Exec_Priority(delta, thread) end

---DDK "Begin_Critical_Section".
---@param flags? integer Block_* flags
function vmm.Begin_Critical_Section(flags) end

---DDK "End_Critical_Section".
function vmm.End_Critical_Section() end

---DDK "Claim_Critical_Section".
---@param count integer
---@param flags? integer Block_* flags
function vmm.Claim_Critical_Section(count, flags) end

---DDK "Get_Crit_Section_Status": owner VM, claim count, priority >= Critical_Section_Boost.
---@return vmm.VM? owner
---@return integer claims
---@return boolean carry
function vmm.Get_Crit_Section_Status() end

---DDK "End_Crit_And_Suspend": false when it fails.
---@return boolean
function vmm.End_Crit_And_Suspend() end

---DDK "_BlockOnID": always blocks; re-check after waking.
---@param id integer|string
---@param flags? integer Block_* flags
function vmm._BlockOnID(id, flags) end

---DDK "_SignalID": wakes every thread blocked on id.
---@param id integer|string
function vmm._SignalID(id) end

---Set-up only: loads a C driver (a shared object built with VMMSIM_DECLARE_VXD) and sends it its
---control messages; the path is as dlopen takes it (relative to the working directory).
---@param path string
---@return vmm.Driver
function vmm.load_vxd(path) end

---DDK "Create_Semaphore" (set-up time too).
---@param count integer
---@return integer semaphore handle
function vmm.Create_Semaphore(count) end

---DDK "Wait_Semaphore".
---@param semaphore integer
---@param flags? integer Block_* flags
function vmm.Wait_Semaphore(semaphore, flags) end

---DDK "Signal_Semaphore".
---@param semaphore integer
function vmm.Signal_Semaphore(semaphore) end

---DDK "_CreateMutex" (set-up time too).
---@param boost integer
---@param flags? integer MUTEX_* flags
---@return integer mutex handle
function vmm._CreateMutex(boost, flags) end

---DDK "_DestroyMutex".
---@param mutex integer
function vmm._DestroyMutex(mutex) end

---DDK "_EnterMutex".
---@param mutex integer
---@param flags? integer Block_* flags
function vmm._EnterMutex(mutex, flags) end

---DDK "_LeaveMutex".
---@param mutex integer
function vmm._LeaveMutex(mutex) end

---DDK "_GetMutexOwner".
---@param mutex integer
---@return vmm.Thread?
function vmm._GetMutexOwner(mutex) end

---DDK "Suspend_VM": false (carry) when it fails.
---@param vm vmm.VM
---@return boolean
function vmm.Suspend_VM(vm) end

---DDK "Resume_VM".
---@param vm vmm.VM
function vmm.Resume_VM(vm) end

---DDK "No_Fail_Resume_VM".
---@param vm vmm.VM
function vmm.No_Fail_Resume_VM(vm) end

---DDK "Wake_Up_VM".
---@param vm vmm.VM
function vmm.Wake_Up_VM(vm) end

---DDK "Release_Time_Slice".
function vmm.Release_Time_Slice() end

---DDK "Begin_Nest_Exec".
function vmm.Begin_Nest_Exec() end

---DDK "Resume_Exec": nested ring-3 code for ms (default 1).
---@param ms? number
function vmm.Resume_Exec(ms) end

---DDK "End_Nest_Exec".
function vmm.End_Nest_Exec() end

---DDK "Exec_Int": interrupt n (0..255), ms (default 1) of nested ring-3 code.
---@param n integer
---@param ms? number
function vmm.Exec_Int(n, ms) end

---DDK "Get_Cur_Thread_Handle".
---@return vmm.Thread
function vmm.Get_Cur_Thread_Handle() end

---DDK "Get_Cur_VM_Handle".
---@return vmm.VM
function vmm.Get_Cur_VM_Handle() end

---DDK "Get_Sys_VM_Handle".
---@return vmm.VM
function vmm.Get_Sys_VM_Handle() end

---DDK "Test_Sys_VM_Handle".
---@param vm vmm.VM
---@return boolean
function vmm.Test_Sys_VM_Handle(vm) end

-- Constants, by their DDK names; flags combine with |.
---@type integer
vmm.PEF_Wait_For_STI = 0x1
---@type integer
vmm.PEF_Wait_Not_Crit = 0x2
---@type integer
vmm.PEF_Dont_Unboost = 0x4
---@type integer
vmm.PEF_Always_Sched = 0x8
---@type integer
vmm.PEF_Time_Out = 0x10
---@type integer
vmm.PEF_Wait_Not_HW_Int = 0x20
---@type integer
vmm.PEF_Wait_Not_Time_Crit = 0x20
---@type integer
vmm.PEF_Wait_Not_Nested_Exec = 0x40
---@type integer
vmm.PEF_Wait_In_PM = 0x80
---@type integer
vmm.PEF_Thread_Event = 0x100
---@type integer
vmm.PEF_Wait_For_Thread_STI = 0x200
---@type integer
vmm.PEF_Ring0_Event = 0x400
---@type integer
vmm.PEF_Wait_Crit = 0x800
---@type integer
vmm.PEF_Wait_Crit_VM = 0x1000
---@type integer
vmm.PEF_Process_Last = 0x2000
---@type integer
vmm.Block_Svc_Ints = 0x1
---@type integer
vmm.Block_Svc_If_Ints_Locked = 0x2
---@type integer
vmm.Block_Enable_Ints = 0x4
---@type integer
vmm.Block_Poll = 0x8
---@type integer
vmm.Block_Thread_Idle = 0x10
---@type integer
vmm.Block_Force_Svc_Ints = 0x20
---@type integer
vmm.Reserved_Low_Boost = 0x1
---@type integer
vmm.Cur_Run_VM_Boost = 0x4
---@type integer
vmm.Low_Pri_Device_Boost = 0x10
---@type integer
vmm.High_Pri_Device_Boost = 0x1000
---@type integer
vmm.Critical_Section_Boost = 0x100000
---@type integer
vmm.Time_Critical_Boost = 0x400000
---@type integer
vmm.Reserved_High_Boost = 0x40000000
---@type integer
vmm.MUTEX_MUST_COMPLETE = 0x1
---@type integer
vmm.MUTEX_NO_CLEANUP_THREAD_STATE = 0x2
