// conventions.cpp: the register convention of every service of the service table. Where each comes
// from: the DDK page of the service (by title, beside each entry) and as joncampbell123/doslib's
// windows/w9xvmm/dev_vxd_dev_vmm.h annotates the Windows 3.x services (register per argument and
// per result). Results not listed are left as the driver had them, and
// the carry is cleared where the DDK reports success by a clear carry.
#include "emu/conventions.hpp"

#include <string>
#include <unordered_map>

#include "emu/emulated_vxd.hpp"
#include "vmmsim/services.hpp"

namespace vmmsim::emu {

namespace {

using K = HandleKind;

// Handles as the adaptors return them.
std::uint32_t ev(CallContext& c, EVENTHANDLE h) { return c.guest(K::event, h); }
std::uint32_t to(CallContext& c, TIMEOUTHANDLE h) { return c.guest(K::timeout, h); }
// ms: a DDK time in milliseconds (a dword).
double ms(std::uint32_t v) { return static_cast<double>(v); }
// boost: EAX holds a signed priority delta (DDK "Adjust_Exec_Priority": a signed boost).
Priority boost(std::uint32_t v) { return static_cast<Priority>(static_cast<std::int32_t>(v)); }

// timeout: EDI holds the time-out only with PEF_Time_Out (DDK "Call_Priority_VM_Event"); otherwise
// it is whatever the driver had there, not a time-out.
double timeout(const CallContext& c) { return (c.r.ecx & PEF_Time_Out) ? ms(c.r.edi) : 0; }

EventTarget restricted_target(CallContext& c, std::uint32_t handle, std::uint32_t flags) {
  if (handle == 0) return EventTarget();
  if (flags & PEF_Thread_Event) return EventTarget(c.thread(handle));
  return EventTarget(c.vm(handle));
}

const std::unordered_map<std::string_view, Convention>& table() {
  static const std::unordered_map<std::string_view, Convention> t = {
      // DDK "Get_Cur_VM_Handle", "Get_Sys_VM_Handle": EBX = the VM.
      {"Get_Cur_VM_Handle", [](CallContext& c) { c.r.ebx = c.guest_vm(Get_Cur_VM_Handle()); }},
      {"Get_Sys_VM_Handle", [](CallContext& c) { c.r.ebx = c.guest_vm(Get_Sys_VM_Handle()); }},
      // DDK "Test_Sys_VM_Handle": EBX = VM; ZF set if it is the System VM.
      {"Test_Sys_VM_Handle", [](CallContext& c) { c.r.set_zero(Test_Sys_VM_Handle(c.vm(c.r.ebx))); }},
      // DDK "Get_Cur_Thread_Handle": EDI = the current thread.
      {"Get_Cur_Thread_Handle", [](CallContext& c) { c.r.edi = c.guest_thread(Get_Cur_Thread_Handle()); }},
      // DDK "Schedule_Global_Event", "Call_Global_Event": ESI = callback, EDX = reference data;
      // ESI = the event handle (0: Call_Global_Event ran it at once).
      {"Schedule_Global_Event",
       [](CallContext& c) { c.r.esi = ev(c, Schedule_Global_Event(c.callback(c.r.esi), c.r.edx)); }},
      {"Call_Global_Event", [](CallContext& c) { c.r.esi = ev(c, Call_Global_Event(c.callback(c.r.esi), c.r.edx)); }},
      // DDK "Cancel_Global_Event", "Cancel_Priority_VM_Event", "Cancel_Restricted_Event": ESI = handle.
      {"Cancel_Global_Event", [](CallContext& c) { Cancel_Global_Event(c.handle(K::event, c.r.esi)); }},
      {"Cancel_Priority_VM_Event", [](CallContext& c) { Cancel_Priority_VM_Event(c.handle(K::event, c.r.esi)); }},
      {"Cancel_Restricted_Event", [](CallContext& c) { Cancel_Restricted_Event(c.handle(K::event, c.r.esi)); }},
      // DDK "Schedule_VM_Event", "Call_VM_Event": EBX = VM, ESI = callback, EDX = reference data;
      // ESI = the event handle.
      {"Schedule_VM_Event",
       [](CallContext& c) { c.r.esi = ev(c, Schedule_VM_Event(c.vm(c.r.ebx), c.callback(c.r.esi), c.r.edx)); }},
      {"Call_VM_Event",
       [](CallContext& c) { c.r.esi = ev(c, Call_VM_Event(c.vm(c.r.ebx), c.callback(c.r.esi), c.r.edx)); }},
      // DDK "Cancel_VM_Event": EBX = VM, ESI = handle.
      {"Cancel_VM_Event", [](CallContext& c) { Cancel_VM_Event(c.vm(c.r.ebx), c.handle(K::event, c.r.esi)); }},
      // DDK "Schedule_Thread_Event": EDI = thread, ESI = callback, EDX = reference data; ESI = handle.
      {"Schedule_Thread_Event",
       [](CallContext& c) {
         c.r.esi = ev(c, Schedule_Thread_Event(c.thread(c.r.edi), c.callback(c.r.esi), c.r.edx));
       }},
      // DDK "Cancel_Thread_Event": EDI = thread, ESI = handle.
      {"Cancel_Thread_Event",
       [](CallContext& c) { Cancel_Thread_Event(c.thread(c.r.edi), c.handle(K::event, c.r.esi)); }},
      // DDK "Call_Priority_VM_Event": EAX = boost, EBX = VM, ECX = flags, EDX = reference data,
      // ESI = callback, EDI = time-out (ms, with PEF_Time_Out); ESI = 0 or the event handle.
      {"Call_Priority_VM_Event",
       [](CallContext& c) {
         c.r.esi = ev(c, Call_Priority_VM_Event(boost(c.r.eax), c.vm(c.r.ebx), c.r.ecx, c.r.edx,
                                                c.callback(c.r.esi), timeout(c)));
       }},
      // DDK "Call_Restricted_Event": EAX = boost, EBX = 0 / VM / (PEF_Thread_Event) thread, ECX =
      // flags, EDX = reference data, ESI = callback, EDI = time-out; ESI = 0 or the event handle.
      {"Call_Restricted_Event",
       [](CallContext& c) {
         c.r.esi = ev(c, Call_Restricted_Event(boost(c.r.eax), restricted_target(c, c.r.ebx, c.r.ecx), c.r.ecx,
                                               c.r.edx, c.callback(c.r.esi), timeout(c)));
       }},
      // DDK "Call_When_Not_Critical", "Call_When_VM_Ints_Enabled": ESI = callback, EDX = reference data.
      {"Call_When_Not_Critical", [](CallContext& c) { Call_When_Not_Critical(c.callback(c.r.esi), c.r.edx); }},
      {"Call_When_VM_Ints_Enabled", [](CallContext& c) { Call_When_VM_Ints_Enabled(c.callback(c.r.esi), c.r.edx); }},
      // DDK "Call_When_Idle": ESI = callback; carry clear = installed.
      {"Call_When_Idle",
       [](CallContext& c) {
         Call_When_Idle(c.idle_callback(c.r.esi));
         c.r.set_carry(false);
       }},
      // DDK "Adjust_Exec_Priority": EAX = signed boost, EBX = VM.
      {"Adjust_Exec_Priority", [](CallContext& c) { Adjust_Exec_Priority(boost(c.r.eax), c.vm(c.r.ebx)); }},
      // DDK "Adjust_Thread_Exec_Priority": EAX = signed boost, EDI = thread.
      {"Adjust_Thread_Exec_Priority",
       [](CallContext& c) { Adjust_Thread_Exec_Priority(boost(c.r.eax), c.thread(c.r.edi)); }},
      // DDK "Begin_Critical_Section": ECX = block flags. "End_Critical_Section": nothing.
      {"Begin_Critical_Section", [](CallContext& c) { Begin_Critical_Section(c.r.ecx); }},
      {"End_Critical_Section", [](CallContext&) { End_Critical_Section(); }},
      // DDK "Claim_Critical_Section": EAX = claims, ECX = block flags.
      {"Claim_Critical_Section", [](CallContext& c) { Claim_Critical_Section(c.r.eax, c.r.ecx); }},
      // DDK "End_Crit_And_Suspend": carry set when it failed.
      {"End_Crit_And_Suspend", [](CallContext& c) { c.r.set_carry(!End_Crit_And_Suspend()); }},
      // DDK "Get_Crit_Section_Status": EBX = owner VM, ECX = claims, carry set when the current
      // priority is at least Critical_Section_Boost.
      {"Get_Crit_Section_Status",
       [](CallContext& c) {
         CritSectionStatus st = Get_Crit_Section_Status();
         c.r.ebx = c.guest_vm(st.owner);
         c.r.ecx = static_cast<std::uint32_t>(st.claims);
         c.r.set_carry(st.high_priority);
       }},
      // DDK "Create_Semaphore": ECX = tokens; EAX = the semaphore, carry clear.
      {"Create_Semaphore",
       [](CallContext& c) {
         c.r.eax = c.guest(K::semaphore, Create_Semaphore(static_cast<std::int32_t>(c.r.ecx)));
         c.r.set_carry(false);
       }},
      // DDK "Wait_Semaphore": EAX = semaphore, ECX = block flags. "Signal_Semaphore": EAX = semaphore.
      {"Wait_Semaphore", [](CallContext& c) { Wait_Semaphore(c.handle(K::semaphore, c.r.eax), c.r.ecx); }},
      {"Signal_Semaphore", [](CallContext& c) { Signal_Semaphore(c.handle(K::semaphore, c.r.eax)); }},
      // DDK "Suspend_VM", "Resume_VM": EBX = VM; carry set when it failed. "No_Fail_Resume_VM",
      // "Wake_Up_VM": EBX = VM.
      {"Suspend_VM", [](CallContext& c) { c.r.set_carry(!Suspend_VM(c.vm(c.r.ebx))); }},
      {"Resume_VM",
       [](CallContext& c) {
         Resume_VM(c.vm(c.r.ebx));
         c.r.set_carry(false);
       }},
      {"No_Fail_Resume_VM", [](CallContext& c) { No_Fail_Resume_VM(c.vm(c.r.ebx)); }},
      {"Wake_Up_VM", [](CallContext& c) { Wake_Up_VM(c.vm(c.r.ebx)); }},
      // DDK "Release_Time_Slice", "Begin_Nest_Exec", "Resume_Exec", "End_Nest_Exec": no registers.
      {"Release_Time_Slice", [](CallContext&) { Release_Time_Slice(); }},
      {"Begin_Nest_Exec", [](CallContext&) { Begin_Nest_Exec(); }},
      {"Resume_Exec", [](CallContext&) { Resume_Exec(); }},
      {"End_Nest_Exec", [](CallContext&) { End_Nest_Exec(); }},
      // DDK "Exec_Int": EAX = the interrupt number.
      {"Exec_Int", [](CallContext& c) { Exec_Int(static_cast<int>(c.r.eax > 255 ? 256 : c.r.eax)); }},
      // DDK "Set_Global_Time_Out", "Set_Async_Time_Out": EAX = ms, EDX = reference data, ESI =
      // callback; ESI = the time-out handle.
      {"Set_Global_Time_Out",
       [](CallContext& c) { c.r.esi = to(c, Set_Global_Time_Out(ms(c.r.eax), c.callback(c.r.esi), c.r.edx)); }},
      {"Set_Async_Time_Out",
       [](CallContext& c) { c.r.esi = to(c, Set_Async_Time_Out(ms(c.r.eax), c.callback(c.r.esi), c.r.edx)); }},
      // DDK "Set_VM_Time_Out": EAX = ms, EBX = VM, EDX, ESI as above; ESI = handle.
      {"Set_VM_Time_Out",
       [](CallContext& c) {
         c.r.esi = to(c, Set_VM_Time_Out(ms(c.r.eax), c.vm(c.r.ebx), c.callback(c.r.esi), c.r.edx));
       }},
      // DDK "Set_Thread_Time_Out": EAX = ms, EDX, ESI as above, EDI = thread; ESI = handle.
      {"Set_Thread_Time_Out",
       [](CallContext& c) {
         c.r.esi = to(c, Set_Thread_Time_Out(ms(c.r.eax), c.thread(c.r.edi), c.callback(c.r.esi), c.r.edx));
       }},
      // DDK "Cancel_Time_Out": ESI = handle.
      {"Cancel_Time_Out", [](CallContext& c) { Cancel_Time_Out(c.handle(K::timeout, c.r.esi)); }},
      // DDK "Get_System_Time": EAX = ms.
      {"Get_System_Time", [](CallContext& c) { c.r.eax = static_cast<std::uint32_t>(Get_System_Time()); }},
      // The C-convention services (DDK "_BlockOnID", "_SignalID", "_CreateMutex", "_DestroyMutex",
      // "_EnterMutex", "_LeaveMutex", "_GetMutexOwner"): arguments on the stack, result in EAX.
      // _BlockOnID preserves every register but the flags (DDK, VMM.H's "nonstandard"): so does
      // every adaptor here.
      {"_BlockOnID", [](CallContext& c) { _BlockOnID(c.arg(0), c.arg(1)); }},
      {"_SignalID", [](CallContext& c) { _SignalID(c.arg(0)); }},
      {"_CreateMutex", [](CallContext& c) { c.r.eax = c.guest(K::mutex, _CreateMutex(boost(c.arg(0)), c.arg(1))); }},
      {"_DestroyMutex", [](CallContext& c) { _DestroyMutex(c.handle(K::mutex, c.arg(0))); }},
      {"_EnterMutex", [](CallContext& c) { _EnterMutex(c.handle(K::mutex, c.arg(0)), c.arg(1)); }},
      {"_LeaveMutex", [](CallContext& c) { _LeaveMutex(c.handle(K::mutex, c.arg(0))); }},
      {"_GetMutexOwner",
       [](CallContext& c) { c.r.eax = c.guest_thread(_GetMutexOwner(c.handle(K::mutex, c.arg(0)))); }},
      // vmmsim's own services (service_table.hpp, device kVmmsimDeviceId), C convention.
      {"vmmsim_log", [](CallContext& c) { log(c.vxd.guest_string(c.arg(0), c.service)); }},
      {"vmmsim_ring3", [](CallContext& c) { ring3(c.arg(0) / 1000.0); }},
  };
  return t;
}

}  // namespace

Convention convention(std::string_view name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : it->second;
}

}  // namespace vmmsim::emu
