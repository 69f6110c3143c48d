// vtoolsd_services.cpp: the VToolsD forms of the services that take a callback
// (include/vmmsim/vxd_vtoolsd.h), exported as vmmsim_vtd_*: the same C++ services as the
// DDK-wrapper forms (vxd_services.cpp), with VToolsD's argument order and callback types. The
// thunk argument is VToolsD's glue storage; vmmsim's glue is the closure, so it is not used.
#define VMMSIM_VTOOLSD 1
#define VMMSIM_VTOOLSD_NO_NAMES 1
#include "vxd/c_bridge.hpp"

namespace {

namespace vs = vmmsim;
using namespace vmmsim::vxd::bridge;

using Regs = CLIENT_REG_STRUCT;
using Ctx = vs::EventContext;

template <class P>
const void* entry(P* fn) {
  return reinterpret_cast<const void*>(fn);
}

vs::EventCallback event_callback(PEvent_HANDLER cb, const char* service) {
  return c_callback(cb, service, [](PEvent_HANDLER f, const Ctx& e, Regs& crs) { f(c_vm(e.vm), c_ref(e.refdata), &crs); });
}

// The priority event's Flags argument: the processor flags, CF_MASK set when it timed out.
vs::EventCallback priority_callback(PPriorityVMEvent_HANDLER cb, const char* service) {
  return c_callback(cb, service, [](PPriorityVMEvent_HANDLER f, const Ctx& e, Regs& crs) {
    f(c_vm(e.vm), c_ref(e.refdata), &crs, e.timed_out ? DWORD{CF_MASK} : DWORD{0});
  });
}

// RestrictedEvent_HANDLER and ThreadEvent_HANDLER have the same form.
template <class H>
vs::EventCallback thread_event_callback(H* cb, const char* service) {
  return c_callback(cb, service, [](H* f, const Ctx& e, Regs& crs) {
    f(c_vm(e.vm), c_thread(e.thread), c_ref(e.refdata), &crs);
  });
}

vs::EventCallback timeout_callback(PTIMEOUT_HANDLER cb, const char* service) {
  return c_callback(cb, service, [](PTIMEOUT_HANDLER f, const Ctx& e, Regs& crs) {
    f(c_vm(e.vm), &crs, c_ref(e.refdata), 0);
  });
}

vs::EventCallback thread_timeout_callback(PTHREADTIMEOUT_HANDLER cb, const char* service) {
  return c_callback(cb, service, [](PTHREADTIMEOUT_HANDLER f, const Ctx& e, Regs& crs) {
    f(c_thread(e.thread), c_vm(e.vm), &crs, c_ref(e.refdata), 0);
  });
}

vs::EventCallback async_timeout_callback(PASYNCTIMEOUT_HANDLER cb, const char* service) {
  return c_callback(cb, service, [](PASYNCTIMEOUT_HANDLER f, const Ctx& e, Regs&) { f(c_ref(e.refdata), 0); });
}

}  // namespace

extern "C" {

EVENTHANDLE vmmsim_vtd_Call_Restricted_Event(DWORD boost, CONST VOID* handle, DWORD flags, CONST VOID* refdata,
                                             PRestrictedEvent_HANDLER callback, DWORD timeout,
                                             PRestrictedEvent_THUNK) {
  return guarded("Call_Restricted_Event", [&] {
    return vs::Call_Restricted_Event(boost, target_of(handle, flags), flags, ref(refdata),
                                     thread_event_callback(callback, "Call_Restricted_Event"), timeout);
  });
}
EVENTHANDLE vmmsim_vtd_Call_Priority_VM_Event(DWORD boost, VMHANDLE hvm, DWORD flags, CONST VOID* refdata,
                                              PPriorityVMEvent_HANDLER callback, DWORD timeout,
                                              PPriorityVMEvent_THUNK) {
  return guarded("Call_Priority_VM_Event", [&] {
    return vs::Call_Priority_VM_Event(boost, vm_of(hvm), flags, ref(refdata),
                                      priority_callback(callback, "Call_Priority_VM_Event"), timeout);
  });
}
EVENTHANDLE vmmsim_vtd_Call_Global_Event(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK) {
  return guarded("Call_Global_Event", [&] {
    return vs::Call_Global_Event(event_callback(callback, "Call_Global_Event"), ref(refdata));
  });
}
EVENTHANDLE vmmsim_vtd_Schedule_Global_Event(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK) {
  return guarded("Schedule_Global_Event", [&] {
    return vs::Schedule_Global_Event(event_callback(callback, "Schedule_Global_Event"), ref(refdata));
  });
}
EVENTHANDLE vmmsim_vtd_Call_VM_Event(VMHANDLE hvm, PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK) {
  return guarded("Call_VM_Event", [&] {
    return vs::Call_VM_Event(vm_of(hvm), event_callback(callback, "Call_VM_Event"), ref(refdata));
  });
}
EVENTHANDLE vmmsim_vtd_Schedule_VM_Event(VMHANDLE hvm, PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK) {
  return guarded("Schedule_VM_Event", [&] {
    return vs::Schedule_VM_Event(vm_of(hvm), event_callback(callback, "Schedule_VM_Event"), ref(refdata));
  });
}
EVENTHANDLE vmmsim_vtd_Schedule_Thread_Event(THREADHANDLE hthread, PThreadEvent_HANDLER callback,
                                             CONST VOID* refdata, PThreadEvent_THUNK) {
  return guarded("Schedule_Thread_Event", [&] {
    return vs::Schedule_Thread_Event(thread_of(hthread), thread_event_callback(callback, "Schedule_Thread_Event"),
                                     ref(refdata));
  });
}
VOID vmmsim_vtd_Call_When_Not_Critical(CONST VOID* refdata, PEvent_HANDLER callback, PEvent_THUNK) {
  guarded("Call_When_Not_Critical", [&] {
    vs::Call_When_Not_Critical(event_callback(callback, "Call_When_Not_Critical"), ref(refdata));
  });
}
VOID vmmsim_vtd_Call_When_VM_Ints_Enabled(PEvent_HANDLER callback, CONST VOID* refdata, PEvent_THUNK) {
  guarded("Call_When_VM_Ints_Enabled", [&] {
    vs::Call_When_VM_Ints_Enabled(event_callback(callback, "Call_When_VM_Ints_Enabled"), ref(refdata));
  });
}
BOOL vmmsim_vtd_Call_When_Idle(PIdle_HANDLER callback, PIdle_THUNK) {
  return guarded("Call_When_Idle", [&] {
    vs::IdleCallback cb;
    if (callback != nullptr)
      cb = [callback](const vs::EventContext& e) {
        CLIENT_REG_STRUCT crs = client_regs(e);
        BOOL used = FALSE;
        run_callback(entry(callback), "Call_When_Idle", [&] { used = callback(c_vm(e.vm), &crs); });
        return used != FALSE;
      };
    vs::Call_When_Idle(std::move(cb));
    return TRUE;
  });
}
TIMEOUTHANDLE vmmsim_vtd_Set_Global_Time_Out(DWORD ms, CONST VOID* refdata, PTIMEOUT_HANDLER callback,
                                             PTIMEOUT_THUNK) {
  return guarded("Set_Global_Time_Out", [&] {
    return vs::Set_Global_Time_Out(ms, timeout_callback(callback, "Set_Global_Time_Out"), ref(refdata));
  });
}
TIMEOUTHANDLE vmmsim_vtd_Set_VM_Time_Out(DWORD ms, VMHANDLE hvm, CONST VOID* refdata, PTIMEOUT_HANDLER callback,
                                         PTIMEOUT_THUNK) {
  return guarded("Set_VM_Time_Out", [&] {
    return vs::Set_VM_Time_Out(ms, vm_of(hvm), timeout_callback(callback, "Set_VM_Time_Out"), ref(refdata));
  });
}
TIMEOUTHANDLE vmmsim_vtd_Set_Thread_Time_Out(DWORD ms, THREADHANDLE hthread, CONST VOID* refdata,
                                             PTHREADTIMEOUT_HANDLER callback, PTHREADTIMEOUT_THUNK) {
  return guarded("Set_Thread_Time_Out", [&] {
    return vs::Set_Thread_Time_Out(ms, thread_of(hthread), thread_timeout_callback(callback, "Set_Thread_Time_Out"),
                                   ref(refdata));
  });
}
TIMEOUTHANDLE vmmsim_vtd_Set_Async_Time_Out(DWORD ms, CONST VOID* refdata, PASYNCTIMEOUT_HANDLER callback,
                                            PASYNCTIMEOUT_THUNK) {
  return guarded("Set_Async_Time_Out", [&] {
    return vs::Set_Async_Time_Out(ms, async_timeout_callback(callback, "Set_Async_Time_Out"), ref(refdata));
  });
}

}  // extern "C"

namespace vmmsim::vxd {
// vtoolsd_linked: referenced when a driver is loaded, so a program linking the static library
// keeps these functions for the drivers it loads to import.
const void* vtoolsd_linked() { return reinterpret_cast<const void*>(&vmmsim_vtd_Call_Restricted_Event); }
}  // namespace vmmsim::vxd
