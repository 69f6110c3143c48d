// lua_driver_services.cpp: the services drivers call beside the seeds' ones (scenario-api.md):
// mutexes, the critical section's other services, the time slicer, VM / thread / async time-outs,
// and the handle queries, by their DDK names with arguments in the DDK's register order.
#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

// --- Mutexes ------------------------------------------------------------------------------------------

int l_CreateMutex(lua_State* L) {
  constexpr const char* fn = "_CreateMutex";
  Binding& b = binding(L);
  require_not_over(L, b, fn);  // at set-up too: objects a VxD makes at Device_Init
  Priority boost = check_integer(L, fn, 1, "boost");
  Flags flags = opt_flags(L, fn, 2, "flags");
  MUTEXHANDLE m = 0;
  guard(L, b, fn, [&] { m = b.phase == Phase::setup ? b.machine->create_mutex(boost, flags) : _CreateMutex(boost, flags); });
  lua_pushinteger(L, static_cast<lua_Integer>(m));
  return 1;
}

// on_mutex: _DestroyMutex and _LeaveMutex share their shape: service(mutex).
int on_mutex(lua_State* L, const char* fn, void (*service)(MUTEXHANDLE)) {
  Binding& b = binding(L);
  require_run(L, b, fn);
  MUTEXHANDLE m = check_handle(L, fn, 1, "mutex");
  guard(L, b, fn, [&] { service(m); });
  return 0;
}

int l_DestroyMutex(lua_State* L) { return on_mutex(L, "_DestroyMutex", _DestroyMutex); }
int l_LeaveMutex(lua_State* L) { return on_mutex(L, "_LeaveMutex", _LeaveMutex); }

int l_EnterMutex(lua_State* L) {
  constexpr const char* fn = "_EnterMutex";
  Binding& b = binding(L);
  require_run(L, b, fn);
  MUTEXHANDLE m = check_handle(L, fn, 1, "mutex");
  Flags flags = opt_flags(L, fn, 2, "flags");
  guard(L, b, fn, [&] { _EnterMutex(m, flags); });
  return 0;
}

int l_GetMutexOwner(lua_State* L) {
  constexpr const char* fn = "_GetMutexOwner";
  Binding& b = binding(L);
  require_run(L, b, fn);
  MUTEXHANDLE m = check_handle(L, fn, 1, "mutex");
  THREADHANDLE owner = nullptr;
  guard(L, b, fn, [&] { owner = _GetMutexOwner(m); });
  push_thread(L, b, owner);
  return 1;
}

// --- The critical section -------------------------------------------------------------------------

int l_Claim_Critical_Section(lua_State* L) {
  constexpr const char* fn = "Claim_Critical_Section";
  Binding& b = binding(L);
  require_run(L, b, fn);
  lua_Integer count = check_integer(L, fn, 1, "count");
  Flags flags = opt_flags(L, fn, 2, "flags");
  guard(L, b, fn, [&] { Claim_Critical_Section(count, flags); });
  return 0;
}

// Get_Crit_Section_Status: owner VM, claim count, and the carry flag (priority >= Critical_Section_Boost).
int l_Get_Crit_Section_Status(lua_State* L) {
  constexpr const char* fn = "Get_Crit_Section_Status";
  Binding& b = binding(L);
  require_run(L, b, fn);
  CritSectionStatus st;
  guard(L, b, fn, [&] { st = Get_Crit_Section_Status(); });
  push_vm(L, b, st.owner);
  lua_pushinteger(L, st.claims);
  lua_pushboolean(L, st.high_priority);
  return 3;
}

int l_End_Crit_And_Suspend(lua_State* L) {
  constexpr const char* fn = "End_Crit_And_Suspend";
  Binding& b = binding(L);
  require_run(L, b, fn);
  bool ok = false;
  guard(L, b, fn, [&] { ok = End_Crit_And_Suspend(); });
  lua_pushboolean(L, ok);
  return 1;
}

// --- The time slicer and VMs ------------------------------------------------------------------------

int l_Release_Time_Slice(lua_State* L) {
  constexpr const char* fn = "Release_Time_Slice";
  Binding& b = binding(L);
  require_run(L, b, fn);
  guard(L, b, fn, [&] { Release_Time_Slice(); });
  return 0;
}

int l_Wake_Up_VM(lua_State* L) {
  constexpr const char* fn = "Wake_Up_VM";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  guard(L, b, fn, [&] { Wake_Up_VM(vm); });
  return 0;
}

int l_No_Fail_Resume_VM(lua_State* L) {
  constexpr const char* fn = "No_Fail_Resume_VM";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  guard(L, b, fn, [&] { No_Fail_Resume_VM(vm); });
  return 0;
}

int l_Call_When_Idle(lua_State* L) {
  constexpr const char* fn = "Call_When_Idle";
  Binding& b = binding(L);
  require_run(L, b, fn);
  check_function(L, fn, 1, "callback");
  CallbackRefs refs = take_callback(L, 1, 0);
  guard(L, b, fn, [&] { Call_When_Idle(make_idle_callback(b, refs)); });
  return 0;
}

// --- Time-outs ---------------------------------------------------------------------------------------

int l_Set_VM_Time_Out(lua_State* L) {
  constexpr const char* fn = "Set_VM_Time_Out";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  VMHANDLE vm = check_vm(L, fn, 2, "vm");
  check_function(L, fn, 3, "callback");
  CallbackRefs refs = take_callback(L, 3, 4);
  TIMEOUTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = Set_VM_Time_Out(ms, vm, make_callback(b, refs), refs.shown); });
  lua_pushinteger(L, static_cast<lua_Integer>(handle));
  return 1;
}

int l_Set_Thread_Time_Out(lua_State* L) {
  constexpr const char* fn = "Set_Thread_Time_Out";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  THREADHANDLE thread = check_thread(L, fn, 2, "thread");
  check_function(L, fn, 3, "callback");
  CallbackRefs refs = take_callback(L, 3, 4);
  TIMEOUTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = Set_Thread_Time_Out(ms, thread, make_callback(b, refs), refs.shown); });
  lua_pushinteger(L, static_cast<lua_Integer>(handle));
  return 1;
}

int l_Set_Async_Time_Out(lua_State* L) {
  constexpr const char* fn = "Set_Async_Time_Out";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  check_function(L, fn, 2, "callback");
  CallbackRefs refs = take_callback(L, 2, 3);
  TIMEOUTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = Set_Async_Time_Out(ms, make_callback(b, refs), refs.shown); });
  lua_pushinteger(L, static_cast<lua_Integer>(handle));
  return 1;
}

// --- Handles and time --------------------------------------------------------------------------------

int l_Get_Cur_Thread_Handle(lua_State* L) {
  constexpr const char* fn = "Get_Cur_Thread_Handle";
  Binding& b = binding(L);
  require_run(L, b, fn);
  THREADHANDLE t = nullptr;
  guard(L, b, fn, [&] { t = Get_Cur_Thread_Handle(); });
  push_thread(L, b, t);
  return 1;
}

int l_Get_Cur_VM_Handle(lua_State* L) {
  constexpr const char* fn = "Get_Cur_VM_Handle";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = nullptr;
  guard(L, b, fn, [&] { vm = Get_Cur_VM_Handle(); });
  push_vm(L, b, vm);
  return 1;
}

int l_Get_Sys_VM_Handle(lua_State* L) {
  Binding& b = binding(L);
  push_vm(L, b, b.machine->sys_vm());  // the System VM exists from the start (set-up time too)
  return 1;
}

int l_Test_Sys_VM_Handle(lua_State* L) {
  constexpr const char* fn = "Test_Sys_VM_Handle";
  Binding& b = binding(L);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  lua_pushboolean(L, vm == b.machine->sys_vm());
  return 1;
}

int l_Get_System_Time(lua_State* L) {
  constexpr const char* fn = "Get_System_Time";
  Binding& b = binding(L);
  require_run(L, b, fn);
  std::int64_t ms = 0;
  guard(L, b, fn, [&] { ms = Get_System_Time(); });
  lua_pushinteger(L, static_cast<lua_Integer>(ms));
  return 1;
}

const luaL_Reg driver_functions[] = {
    {"_CreateMutex", l_CreateMutex},
    {"_DestroyMutex", l_DestroyMutex},
    {"_EnterMutex", l_EnterMutex},
    {"_LeaveMutex", l_LeaveMutex},
    {"_GetMutexOwner", l_GetMutexOwner},
    {"Claim_Critical_Section", l_Claim_Critical_Section},
    {"Get_Crit_Section_Status", l_Get_Crit_Section_Status},
    {"End_Crit_And_Suspend", l_End_Crit_And_Suspend},
    {"Release_Time_Slice", l_Release_Time_Slice},
    {"Wake_Up_VM", l_Wake_Up_VM},
    {"No_Fail_Resume_VM", l_No_Fail_Resume_VM},
    {"Call_When_Idle", l_Call_When_Idle},
    {"Set_VM_Time_Out", l_Set_VM_Time_Out},
    {"Set_Thread_Time_Out", l_Set_Thread_Time_Out},
    {"Set_Async_Time_Out", l_Set_Async_Time_Out},
    {"Get_Cur_Thread_Handle", l_Get_Cur_Thread_Handle},
    {"Get_Cur_VM_Handle", l_Get_Cur_VM_Handle},
    {"Get_Sys_VM_Handle", l_Get_Sys_VM_Handle},
    {"Test_Sys_VM_Handle", l_Test_Sys_VM_Handle},
    {"Get_System_Time", l_Get_System_Time},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* driver_function_list() { return driver_functions; }

}  // namespace vmmsim::lua
