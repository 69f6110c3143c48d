// vmmsim/services.hpp: the VMM services, by their DDK names, with arguments in the DDK's register
// order (scenario-api.md). They act on the machine whose run() is executing (current_machine()).
// A misuse throws ServiceError whose message starts with the service's name (docs/errors.md).
#pragma once

#include <string>

#include "vmmsim/types.hpp"

namespace vmmsim {

// --- Events (seed 001, seed 003, DDK event services) ------------------------------------------
// Each returns 0 when it ran the callback at once, otherwise the handle of the queued event.
EVENTHANDLE Call_Restricted_Event(Priority boost, EventTarget handle, Flags flags, RefData refdata,
                                  EventCallback callback, double timeout_ms = 0);
void Cancel_Restricted_Event(EVENTHANDLE handle);
EVENTHANDLE Call_Priority_VM_Event(Priority boost, VMHANDLE vm, Flags flags, RefData refdata,
                                   EventCallback callback, double timeout_ms = 0);
void Cancel_Priority_VM_Event(EVENTHANDLE handle);
EVENTHANDLE Call_Global_Event(EventCallback callback, RefData refdata);
EVENTHANDLE Schedule_Global_Event(EventCallback callback, RefData refdata);
void Cancel_Global_Event(EVENTHANDLE handle);
EVENTHANDLE Call_VM_Event(VMHANDLE vm, EventCallback callback, RefData refdata);
EVENTHANDLE Schedule_VM_Event(VMHANDLE vm, EventCallback callback, RefData refdata);
void Cancel_VM_Event(VMHANDLE vm, EVENTHANDLE handle);
EVENTHANDLE Schedule_Thread_Event(THREADHANDLE thread, EventCallback callback, RefData refdata);
void Cancel_Thread_Event(THREADHANDLE thread, EVENTHANDLE handle);
void Call_When_Not_Critical(EventCallback callback, RefData refdata);
void Call_When_VM_Ints_Enabled(EventCallback callback, RefData refdata);
// Call_When_Idle: permanent; at the start of every idle period (no thread but sys can run) the
// callbacks run on sys in installation order until one returns true (DDK "Call_When_Idle").
void Call_When_Idle(IdleCallback callback);

// --- Priorities --------------------------------------------------------------------------------
void Adjust_Exec_Priority(Priority delta, VMHANDLE vm);
void Adjust_Thread_Exec_Priority(Priority delta, THREADHANDLE thread);

// --- Critical section, block IDs, semaphores (seed 002, DDK) ----------------------------------
void Begin_Critical_Section(Flags flags);
void End_Critical_Section();
// Claim_Critical_Section: count claims at once (0 is ignored), blocking like Begin_Critical_Section.
void Claim_Critical_Section(std::int64_t count, Flags flags);
CritSectionStatus Get_Crit_Section_Status();  // not at interrupt time (DDK)
// End_Crit_And_Suspend: with exactly one claim, release it and suspend the current VM at once;
// otherwise false, nothing changed (the DDK's carry flag).
bool End_Crit_And_Suspend();
void _BlockOnID(BlockId id, Flags flags);
void _SignalID(BlockId id);
SEMHANDLE Create_Semaphore(std::int64_t count);
void Wait_Semaphore(SEMHANDLE semaphore, Flags flags);
void Signal_Semaphore(SEMHANDLE semaphore);

// --- Mutexes (DDK "_CreateMutex", "_EnterMutex", "_LeaveMutex") -----------------------------------
// The owner holds the mutex's boost; a waiter half of it. _GetMutexOwner returns nullptr if unowned.
MUTEXHANDLE _CreateMutex(Priority boost, Flags flags);
void _DestroyMutex(MUTEXHANDLE mutex);
void _EnterMutex(MUTEXHANDLE mutex, Flags flags);
void _LeaveMutex(MUTEXHANDLE mutex);
THREADHANDLE _GetMutexOwner(MUTEXHANDLE mutex);

// --- VMs -----------------------------------------------------------------------------------------
// Suspend_VM returns false (the DDK's carry flag) when it fails: the System VM, or a VM owning
// the critical section.
bool Suspend_VM(VMHANDLE vm);
void Resume_VM(VMHANDLE vm);
void No_Fail_Resume_VM(VMHANDLE vm);
// Release_Time_Slice: a System VM thread yields to a ready thread of equal or higher priority; a
// VM's thread idles its VM until Wake_Up_VM or an event for it (DDK "Release_Time_Slice").
void Release_Time_Slice();
void Wake_Up_VM(VMHANDLE vm);  // no-op if the VM is not idle  // Resume_VM that no VxD can refuse (none does here)

// --- Nested execution ----------------------------------------------------------------------------
void Begin_Nest_Exec();
void Resume_Exec(double ms = 1);
void End_Nest_Exec();
void Exec_Int(int interrupt, double ms = 1);

// --- Time-outs -------------------------------------------------------------------------------------
TIMEOUTHANDLE Set_Global_Time_Out(double ms, EventCallback callback, RefData refdata);
// Set_VM_Time_Out / Set_Thread_Time_Out count only the target's execution time (the System VM's
// includes idle time); Set_Async_Time_Out's callback runs at interrupt time. Cancel_Time_Out
// cancels any of them.
TIMEOUTHANDLE Set_VM_Time_Out(double ms, VMHANDLE vm, EventCallback callback, RefData refdata);
TIMEOUTHANDLE Set_Thread_Time_Out(double ms, THREADHANDLE thread, EventCallback callback, RefData refdata);
TIMEOUTHANDLE Set_Async_Time_Out(double ms, EventCallback callback, RefData refdata);
void Cancel_Time_Out(TIMEOUTHANDLE handle);

// --- What the current thread does (scenario-api.md "What a thread does") -----------------------
void ring3(double ms);                 // run application code for ms
void cli();                            // clear this thread's ring-3 interrupt flag
void sti();                            // set it
void set_pm(bool protected_mode);      // protected mode on / off for this thread
void set_v86_ints_locked(bool locked); // the current VM's V86IntsLocked status bit
void hw_int(double ms);                // a simulated hardware-interrupt handler for ms

// --- Anywhere in a run ------------------------------------------------------------------------------
double now();                          // virtual time in ms
THREADHANDLE Get_Cur_Thread_Handle();  // the current thread (at interrupt time: the interrupted one)
VMHANDLE Get_Cur_VM_Handle();
VMHANDLE Get_Sys_VM_Handle();
bool Test_Sys_VM_Handle(VMHANDLE vm);  // the DDK's zero flag: vm is the System VM
std::int64_t Get_System_Time();        // whole milliseconds since the run started (async)
void log(const std::string& text);     // a line in the run's log
// name_block_id: a name for an ID in the log and the diagnosis (bindings use it for string IDs).
void name_block_id(BlockId id, std::string name);

}  // namespace vmmsim
