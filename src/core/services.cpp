// services.cpp: the DDK-named free functions of vmmsim/services.hpp, each a thin call into the
// kernel of the machine whose run() is executing.
#include "vmmsim/services.hpp"

#include <fmt/format.h>

#include "core/kernel.hpp"

namespace vmmsim {

using detail::Kernel;

namespace {
// k: the running machine's kernel; the service checks the rest of its preconditions inside.
Kernel& k(const char* service) {
  Kernel* kernel = detail::current_kernel();
  if (kernel == nullptr || !kernel->running()) [[unlikely]]
    throw ServiceError(fmt::format("{}: may only be called while the simulation runs", service));
  return *kernel;
}

// entered: k, and check_running done here, once: the services on the hot paths (the event
// services, _BlockOnID, _SignalID, ring3) trust it inside (Kernel::check_running).
Kernel& entered(const char* service) {
  Kernel& kernel = k(service);
  kernel.check_running(service);
  return kernel;
}
}  // namespace

EVENTHANDLE Call_Restricted_Event(Priority boost, EventTarget handle, Flags flags, RefData refdata,
                                  EventCallback callback, double timeout_ms) {
  const char* s = "Call_Restricted_Event";
  return entered(s).events().call_event(EventService::restricted, s, boost, handle, flags, refdata, std::move(callback),
                         timeout_ms);
}
void Cancel_Restricted_Event(EVENTHANDLE handle) {
  const char* s = "Cancel_Restricted_Event";
  entered(s).events().cancel_event(EventService::restricted, s, handle, nullptr, nullptr);
}
EVENTHANDLE Call_Priority_VM_Event(Priority boost, VMHANDLE vm, Flags flags, RefData refdata,
                                   EventCallback callback, double timeout_ms) {
  const char* s = "Call_Priority_VM_Event";
  return entered(s).events().call_event(EventService::priority, s, boost, EventTarget(vm), flags, refdata,
                         std::move(callback), timeout_ms);
}
void Cancel_Priority_VM_Event(EVENTHANDLE handle) {
  const char* s = "Cancel_Priority_VM_Event";
  entered(s).events().cancel_event(EventService::priority, s, handle, nullptr, nullptr);
}
EVENTHANDLE Call_Global_Event(EventCallback callback, RefData refdata) {
  const char* s = "Call_Global_Event";
  return entered(s).events().call_event(EventService::global, s, 0, EventTarget(), 0, refdata, std::move(callback), 0);
}
EVENTHANDLE Schedule_Global_Event(EventCallback callback, RefData refdata) {
  const char* s = "Schedule_Global_Event";
  return entered(s).events().call_event(EventService::global, s, 0, EventTarget(), PEF_Always_Sched, refdata,
                         std::move(callback), 0);
}
void Cancel_Global_Event(EVENTHANDLE handle) {
  const char* s = "Cancel_Global_Event";
  entered(s).events().cancel_event(EventService::global, s, handle, nullptr, nullptr);
}
EVENTHANDLE Call_VM_Event(VMHANDLE vm, EventCallback callback, RefData refdata) {
  const char* s = "Call_VM_Event";
  if (vm == nullptr) throw ServiceError(fmt::format("{}: the VM handle is 0", s));
  return entered(s).events().call_event(EventService::vm, s, 0, EventTarget(vm), 0, refdata, std::move(callback), 0);
}
EVENTHANDLE Schedule_VM_Event(VMHANDLE vm, EventCallback callback, RefData refdata) {
  const char* s = "Schedule_VM_Event";
  if (vm == nullptr) throw ServiceError(fmt::format("{}: the VM handle is 0", s));
  return entered(s).events().call_event(EventService::vm, s, 0, EventTarget(vm), PEF_Always_Sched, refdata,
                         std::move(callback), 0);
}
void Cancel_VM_Event(VMHANDLE vm, EVENTHANDLE handle) {
  const char* s = "Cancel_VM_Event";
  entered(s).events().cancel_event(EventService::vm, s, handle, vm, nullptr);
}
EVENTHANDLE Schedule_Thread_Event(THREADHANDLE thread, EventCallback callback, RefData refdata) {
  const char* s = "Schedule_Thread_Event";
  if (thread == nullptr) throw ServiceError(fmt::format("{}: the thread handle is 0", s));
  return entered(s).events().call_event(EventService::thread, s, 0, EventTarget(thread), PEF_Thread_Event | PEF_Always_Sched,
                         refdata, std::move(callback), 0);
}
void Cancel_Thread_Event(THREADHANDLE thread, EVENTHANDLE handle) {
  const char* s = "Cancel_Thread_Event";
  entered(s).events().cancel_event(EventService::thread, s, handle, nullptr, thread);
}
void Call_When_Not_Critical(EventCallback callback, RefData refdata) {
  k("Call_When_Not_Critical").events().call_when_not_critical(std::move(callback), refdata);
}
void Call_When_Idle(IdleCallback callback) { k("Call_When_Idle").events().call_when_idle(std::move(callback)); }
void Call_When_VM_Ints_Enabled(EventCallback callback, RefData refdata) {
  k("Call_When_VM_Ints_Enabled").events().call_when_vm_ints_enabled(std::move(callback), refdata);
}
void Adjust_Exec_Priority(Priority delta, VMHANDLE vm) { k("Adjust_Exec_Priority").scheduler().adjust_exec_priority(delta, vm); }
void Adjust_Thread_Exec_Priority(Priority delta, THREADHANDLE thread) {
  k("Adjust_Thread_Exec_Priority").scheduler().adjust_thread_exec_priority(delta, thread);
}
void Begin_Critical_Section(Flags flags) { k("Begin_Critical_Section").crit().begin(flags); }
void End_Critical_Section() { k("End_Critical_Section").crit().end(); }
void Claim_Critical_Section(std::int64_t count, Flags flags) {
  k("Claim_Critical_Section").crit().claim_n(count, flags);
}
CritSectionStatus Get_Crit_Section_Status() { return k("Get_Crit_Section_Status").crit().status(); }
bool End_Crit_And_Suspend() { return k("End_Crit_And_Suspend").crit().end_and_suspend(); }
void _BlockOnID(BlockId id, Flags flags) { entered("_BlockOnID").block_ids().block_on_id(id, flags); }
void _SignalID(BlockId id) { entered("_SignalID").block_ids().signal_id(id); }
SEMHANDLE Create_Semaphore(std::int64_t count) { return k("Create_Semaphore").semaphores().create(count); }
void Wait_Semaphore(SEMHANDLE semaphore, Flags flags) { k("Wait_Semaphore").semaphores().wait(semaphore, flags); }
void Signal_Semaphore(SEMHANDLE semaphore) { k("Signal_Semaphore").semaphores().signal(semaphore); }
MUTEXHANDLE _CreateMutex(Priority boost, Flags flags) { return k("_CreateMutex").mutexes().create(boost, flags); }
void _DestroyMutex(MUTEXHANDLE mutex) { k("_DestroyMutex").mutexes().destroy(mutex); }
void _EnterMutex(MUTEXHANDLE mutex, Flags flags) { k("_EnterMutex").mutexes().enter(mutex, flags); }
void _LeaveMutex(MUTEXHANDLE mutex) { k("_LeaveMutex").mutexes().leave(mutex); }
THREADHANDLE _GetMutexOwner(MUTEXHANDLE mutex) { return k("_GetMutexOwner").mutexes().owner(mutex); }
bool Suspend_VM(VMHANDLE vm) { return k("Suspend_VM").scheduler().suspend_vm(vm); }
void Resume_VM(VMHANDLE vm) { k("Resume_VM").scheduler().resume_vm(vm); }
void Release_Time_Slice() { k("Release_Time_Slice").scheduler().release_time_slice(); }
void Wake_Up_VM(VMHANDLE vm) { k("Wake_Up_VM").scheduler().wake_up_vm(vm); }
void No_Fail_Resume_VM(VMHANDLE vm) { k("No_Fail_Resume_VM").scheduler().resume_vm(vm, "No_Fail_Resume_VM"); }
void Begin_Nest_Exec() { k("Begin_Nest_Exec").begin_nest_exec(); }
void Resume_Exec(double ms) { k("Resume_Exec").resume_exec("Resume_Exec", ms, -1); }
void End_Nest_Exec() { k("End_Nest_Exec").end_nest_exec(); }
void Exec_Int(int interrupt, double ms) {
  if (interrupt < 0 || interrupt > 255)
    throw ServiceError(fmt::format("Exec_Int: interrupt number {} is outside 0 .. 255", interrupt));
  k("Exec_Int").resume_exec("Exec_Int", ms, interrupt);
}
TIMEOUTHANDLE Set_Global_Time_Out(double ms, EventCallback callback, RefData refdata) {
  return k("Set_Global_Time_Out").events().set_global_time_out(ms, std::move(callback), refdata);
}
TIMEOUTHANDLE Set_VM_Time_Out(double ms, VMHANDLE vm, EventCallback callback, RefData refdata) {
  return k("Set_VM_Time_Out").events().set_vm_time_out(ms, vm, std::move(callback), refdata);
}
TIMEOUTHANDLE Set_Thread_Time_Out(double ms, THREADHANDLE thread, EventCallback callback, RefData refdata) {
  return k("Set_Thread_Time_Out").events().set_thread_time_out(ms, thread, std::move(callback), refdata);
}
TIMEOUTHANDLE Set_Async_Time_Out(double ms, EventCallback callback, RefData refdata) {
  return k("Set_Async_Time_Out").events().set_async_time_out(ms, std::move(callback), refdata);
}
void Cancel_Time_Out(TIMEOUTHANDLE handle) { k("Cancel_Time_Out").events().cancel_time_out(handle); }
void ring3(double ms) { entered("ring3").ring3(ms); }
void cli() { k("cli").set_if(false); }
void sti() { k("sti").set_if(true); }
void set_pm(bool protected_mode) { k("set_pm").set_pm(protected_mode); }
void set_v86_ints_locked(bool locked) { k("set_v86_ints_locked").set_v86_ints_locked(locked); }
void hw_int(double ms) { k("hw_int").hw_int(ms); }
double now() { return static_cast<double>(k("now").now_us()) / 1000.0; }
THREADHANDLE Get_Cur_Thread_Handle() { return k("Get_Cur_Thread_Handle").current(); }
VMHANDLE Get_Cur_VM_Handle() { return k("Get_Cur_VM_Handle").current()->vm; }
VMHANDLE Get_Sys_VM_Handle() { return k("Get_Sys_VM_Handle").sys_vm(); }
bool Test_Sys_VM_Handle(VMHANDLE vm) {
  Kernel& kernel = k("Test_Sys_VM_Handle");
  return kernel.check_vm("Test_Sys_VM_Handle", vm) == kernel.sys_vm();
}
std::int64_t Get_System_Time() { return k("Get_System_Time").now_us() / 1000; }
void log(const std::string& text) { k("log").user_log(text); }
void name_block_id(BlockId id, std::string name) {
  Kernel* kernel = detail::current_kernel();
  if (kernel == nullptr) throw ServiceError("name_block_id: no machine is running");
  kernel->block_ids().name(id, std::move(name));
}

}  // namespace vmmsim
