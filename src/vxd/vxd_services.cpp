// vxd_services.cpp: the C forms of include/vmmsim/vxd.h, each a thin call of the C++ service of
// vmmsim/services.hpp. Handles are the same objects under C names; a C callback is wrapped in an
// EventCallback that hands it the DDK's registers (VM, thread, reference data, client registers
// with the carry flag in Client_EFlags). The VToolsD forms of the services that take a callback
// are in vtoolsd_services.cpp; what both share (guarded: C frames are never unwound) is
// vxd/c_bridge.hpp.
#include "vxd/c_bridge.hpp"

namespace {

namespace vs = vmmsim;
using namespace vmmsim::vxd::bridge;

vs::EventCallback callback_of(PEVENT_PROC proc, const char* service) {
  return c_callback(proc, service, [](PEVENT_PROC f, const vs::EventContext& e, CLIENT_REG_STRUCT& crs) {
    f(c_vm(e.vm), c_thread(e.thread), c_ref(e.refdata), &crs);
  });
}

}  // namespace

extern "C" {

EVENTHANDLE Call_Restricted_Event(DWORD boost, PVOID handle, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                  DWORD timeout_ms) {
  return guarded("Call_Restricted_Event", [&] {
    return vs::Call_Restricted_Event(boost, target_of(handle, flags), flags, ref(refdata), callback_of(callback, "Call_Restricted_Event"),
                                     timeout_ms);
  });
}
VOID Cancel_Restricted_Event(EVENTHANDLE event) {
  guarded("Cancel_Restricted_Event", [&] { vs::Cancel_Restricted_Event(event); });
}
EVENTHANDLE Call_Priority_VM_Event(DWORD boost, VMHANDLE hvm, DWORD flags, PVOID refdata, PEVENT_PROC callback,
                                   DWORD timeout_ms) {
  return guarded("Call_Priority_VM_Event", [&] {
    return vs::Call_Priority_VM_Event(boost, vm_of(hvm), flags, ref(refdata), callback_of(callback, "Call_Priority_VM_Event"), timeout_ms);
  });
}
VOID Cancel_Priority_VM_Event(EVENTHANDLE event) {
  guarded("Cancel_Priority_VM_Event", [&] { vs::Cancel_Priority_VM_Event(event); });
}
EVENTHANDLE Call_Global_Event(PEVENT_PROC callback, PVOID refdata) {
  return guarded("Call_Global_Event", [&] { return vs::Call_Global_Event(callback_of(callback, "Call_Global_Event"), ref(refdata)); });
}
EVENTHANDLE Schedule_Global_Event(PEVENT_PROC callback, PVOID refdata) {
  return guarded("Schedule_Global_Event",
                 [&] { return vs::Schedule_Global_Event(callback_of(callback, "Schedule_Global_Event"), ref(refdata)); });
}
VOID Cancel_Global_Event(EVENTHANDLE event) {
  guarded("Cancel_Global_Event", [&] { vs::Cancel_Global_Event(event); });
}
EVENTHANDLE Call_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Call_VM_Event", [&] { return vs::Call_VM_Event(vm_of(hvm), callback_of(callback, "Call_VM_Event"), ref(refdata)); });
}
EVENTHANDLE Schedule_VM_Event(VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Schedule_VM_Event",
                 [&] { return vs::Schedule_VM_Event(vm_of(hvm), callback_of(callback, "Schedule_VM_Event"), ref(refdata)); });
}
VOID Cancel_VM_Event(VMHANDLE hvm, EVENTHANDLE event) {
  guarded("Cancel_VM_Event", [&] { vs::Cancel_VM_Event(vm_of(hvm), event); });
}
EVENTHANDLE Schedule_Thread_Event(THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Schedule_Thread_Event",
                 [&] { return vs::Schedule_Thread_Event(thread_of(hthread), callback_of(callback, "Schedule_Thread_Event"), ref(refdata)); });
}
VOID Cancel_Thread_Event(THREADHANDLE hthread, EVENTHANDLE event) {
  guarded("Cancel_Thread_Event", [&] { vs::Cancel_Thread_Event(thread_of(hthread), event); });
}
VOID Call_When_Not_Critical(PEVENT_PROC callback, PVOID refdata) {
  guarded("Call_When_Not_Critical", [&] { vs::Call_When_Not_Critical(callback_of(callback, "Call_When_Not_Critical"), ref(refdata)); });
}
VOID Call_When_VM_Ints_Enabled(PEVENT_PROC callback, PVOID refdata) {
  guarded("Call_When_VM_Ints_Enabled", [&] { vs::Call_When_VM_Ints_Enabled(callback_of(callback, "Call_When_VM_Ints_Enabled"), ref(refdata)); });
}
VOID Call_When_Idle(PIDLE_PROC callback) {
  guarded("Call_When_Idle", [&] {
    vs::IdleCallback cb;
    if (callback != nullptr)
      cb = [callback](const vs::EventContext& e) {
        BOOL used = FALSE;
        run_callback(reinterpret_cast<const void*>(callback), "Call_When_Idle",
                     [&] { used = callback(c_vm(e.vm), c_thread(e.thread)); });
        return used != FALSE;
      };
    vs::Call_When_Idle(std::move(cb));
  });
}

VOID Adjust_Exec_Priority(int32_t delta, VMHANDLE hvm) {
  guarded("Adjust_Exec_Priority", [&] { vs::Adjust_Exec_Priority(delta, vm_of(hvm)); });
}
VOID Adjust_Thread_Exec_Priority(int32_t delta, THREADHANDLE hthread) {
  guarded("Adjust_Thread_Exec_Priority", [&] { vs::Adjust_Thread_Exec_Priority(delta, thread_of(hthread)); });
}
VOID Begin_Critical_Section(DWORD flags) {
  guarded("Begin_Critical_Section", [&] { vs::Begin_Critical_Section(flags); });
}
VOID End_Critical_Section(void) { guarded("End_Critical_Section", [&] { vs::End_Critical_Section(); }); }
VOID Claim_Critical_Section(DWORD count, DWORD flags) {
  guarded("Claim_Critical_Section", [&] { vs::Claim_Critical_Section(count, flags); });
}
VMHANDLE Get_Crit_Section_Status(DWORD* claims, BOOL* carry) {
  return guarded("Get_Crit_Section_Status", [&] {
    vs::CritSectionStatus st = vs::Get_Crit_Section_Status();
    if (claims != nullptr) *claims = static_cast<DWORD>(st.claims);
    if (carry != nullptr) *carry = st.high_priority ? TRUE : FALSE;
    return c_vm(st.owner);
  });
}
BOOL End_Crit_And_Suspend(void) {
  return guarded("End_Crit_And_Suspend", [&] { return vs::End_Crit_And_Suspend() ? TRUE : FALSE; });
}
VOID _BlockOnID(DWORD id, DWORD flags) { guarded("_BlockOnID", [&] { vs::_BlockOnID(id, flags); }); }
VOID _SignalID(DWORD id) { guarded("_SignalID", [&] { vs::_SignalID(id); }); }
SEMHANDLE Create_Semaphore(int32_t tokens) {
  return guarded("Create_Semaphore", [&] { return vs::Create_Semaphore(tokens); });
}
VOID Wait_Semaphore(SEMHANDLE semaphore, DWORD flags) {
  guarded("Wait_Semaphore", [&] { vs::Wait_Semaphore(semaphore, flags); });
}
VOID Signal_Semaphore(SEMHANDLE semaphore) { guarded("Signal_Semaphore", [&] { vs::Signal_Semaphore(semaphore); }); }
MUTEXHANDLE _CreateMutex(DWORD boost, DWORD flags) {
  return guarded("_CreateMutex", [&] { return vs::_CreateMutex(boost, flags); });
}
VOID _DestroyMutex(MUTEXHANDLE mutex) { guarded("_DestroyMutex", [&] { vs::_DestroyMutex(mutex); }); }
VOID _EnterMutex(MUTEXHANDLE mutex, DWORD flags) { guarded("_EnterMutex", [&] { vs::_EnterMutex(mutex, flags); }); }
VOID _LeaveMutex(MUTEXHANDLE mutex) { guarded("_LeaveMutex", [&] { vs::_LeaveMutex(mutex); }); }
THREADHANDLE _GetMutexOwner(MUTEXHANDLE mutex) {
  return guarded("_GetMutexOwner", [&] { return c_thread(vs::_GetMutexOwner(mutex)); });
}

BOOL Suspend_VM(VMHANDLE hvm) {
  return guarded("Suspend_VM", [&] { return vs::Suspend_VM(vm_of(hvm)) ? TRUE : FALSE; });
}
BOOL Resume_VM(VMHANDLE hvm) {
  return guarded("Resume_VM", [&] {
    vs::Resume_VM(vm_of(hvm));
    return TRUE;  // no VxD refuses a resume here (the DDK's carry clear)
  });
}
VOID No_Fail_Resume_VM(VMHANDLE hvm) { guarded("No_Fail_Resume_VM", [&] { vs::No_Fail_Resume_VM(vm_of(hvm)); }); }
VOID Release_Time_Slice(void) { guarded("Release_Time_Slice", [&] { vs::Release_Time_Slice(); }); }
VOID Wake_Up_VM(VMHANDLE hvm) { guarded("Wake_Up_VM", [&] { vs::Wake_Up_VM(vm_of(hvm)); }); }
VOID Begin_Nest_Exec(void) { guarded("Begin_Nest_Exec", [&] { vs::Begin_Nest_Exec(); }); }
VOID Resume_Exec(void) { guarded("Resume_Exec", [&] { vs::Resume_Exec(); }); }
VOID Exec_Int(DWORD interrupt) {
  guarded("Exec_Int", [&] { vs::Exec_Int(static_cast<int>(interrupt > 255 ? 256 : interrupt)); });
}
VOID End_Nest_Exec(void) { guarded("End_Nest_Exec", [&] { vs::End_Nest_Exec(); }); }

TIMEOUTHANDLE Set_Global_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Set_Global_Time_Out",
                 [&] { return vs::Set_Global_Time_Out(ms, callback_of(callback, "Set_Global_Time_Out"), ref(refdata)); });
}
TIMEOUTHANDLE Set_VM_Time_Out(DWORD ms, VMHANDLE hvm, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Set_VM_Time_Out",
                 [&] { return vs::Set_VM_Time_Out(ms, vm_of(hvm), callback_of(callback, "Set_VM_Time_Out"), ref(refdata)); });
}
TIMEOUTHANDLE Set_Thread_Time_Out(DWORD ms, THREADHANDLE hthread, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Set_Thread_Time_Out",
                 [&] { return vs::Set_Thread_Time_Out(ms, thread_of(hthread), callback_of(callback, "Set_Thread_Time_Out"), ref(refdata)); });
}
TIMEOUTHANDLE Set_Async_Time_Out(DWORD ms, PEVENT_PROC callback, PVOID refdata) {
  return guarded("Set_Async_Time_Out",
                 [&] { return vs::Set_Async_Time_Out(ms, callback_of(callback, "Set_Async_Time_Out"), ref(refdata)); });
}
VOID Cancel_Time_Out(TIMEOUTHANDLE timeout) { guarded("Cancel_Time_Out", [&] { vs::Cancel_Time_Out(timeout); }); }
DWORD Get_System_Time(void) {
  return guarded("Get_System_Time", [&] { return static_cast<DWORD>(vs::Get_System_Time()); });
}

VMHANDLE Get_Cur_VM_Handle(void) { return guarded("Get_Cur_VM_Handle", [&] { return c_vm(vs::Get_Cur_VM_Handle()); }); }
VMHANDLE Get_Sys_VM_Handle(void) { return guarded("Get_Sys_VM_Handle", [&] { return c_vm(vs::Get_Sys_VM_Handle()); }); }
THREADHANDLE Get_Cur_Thread_Handle(void) {
  return guarded("Get_Cur_Thread_Handle", [&] { return c_thread(vs::Get_Cur_Thread_Handle()); });
}
BOOL Test_Sys_VM_Handle(VMHANDLE hvm) {
  return guarded("Test_Sys_VM_Handle", [&] { return vs::Test_Sys_VM_Handle(vm_of(hvm)) ? TRUE : FALSE; });
}

VOID vmmsim_vxd_state(const void* state, DWORD size) {
  guarded("vmmsim_vxd_state", [&] {
    vmmsim::detail::Kernel* k = vmmsim::detail::current_kernel();
    if (k == nullptr) throw vmmsim::ServiceError("vmmsim_vxd_state: called outside a run");
    k->drivers().register_state(state, size);
  });
}
VOID vmmsim_ring3(DWORD us) { guarded("ring3", [&] { vs::ring3(us / 1000.0); }); }
VOID vmmsim_log(const char* text) {
  const char* line = text != nullptr ? text : "(null)";
  // The end-of-run control messages may log (no other service runs then).
  if (vs::detail::Kernel* k = vs::detail::current_kernel(); k != nullptr && k->drivers().exiting()) {
    k->emit("log", line);
    return;
  }
  guarded("log", [&] { vs::log(line); });
}

}  // extern "C"
