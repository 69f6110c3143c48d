// lua_events.cpp: the event services and time-outs, by their DDK names, arguments in register order
// (scenario-api.md). A callback receives one table e {vm, thread, refdata, timed_out, handle}; an
// event service returns the event handle as an integer, 0 when it called the callback at once.
#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

// check_target: Call_Restricted_Event's handle: 0 (global), a VM, or a thread.
EventTarget check_target(lua_State* L, const char* fn, int arg) {
  if (THREADHANDLE thread = to_thread(L, arg)) return EventTarget(thread);
  if (VMHANDLE vm = to_vm(L, arg)) return EventTarget(vm);
  int is_integer = 0;
  if (lua_type(L, arg) == LUA_TNUMBER && lua_tointegerx(L, arg, &is_integer) == 0 && is_integer) {
    return EventTarget{};
  }
  raise_message(L, "%s: argument #%d 'handle' must be 0 (a global event), a VM or a thread, got %s",
                fn, arg, lua_type(L, arg) == LUA_TNUMBER ? lua_tostring(L, arg) : luaL_typename(L, arg));
}

int push_handle(lua_State* L, std::uint64_t handle) {
  lua_pushinteger(L, static_cast<lua_Integer>(handle));
  return 1;
}

// restricted: Call_Restricted_Event and Call_Priority_VM_Event share their shape.
template <class Target, class Service>
int restricted(lua_State* L, const char* fn, Target target, Service service) {
  Binding& b = binding(L);
  Priority boost = check_integer(L, fn, 1, "boost");
  Flags flags = check_flags(L, fn, 3, "flags");
  check_function(L, fn, 5, "callback");
  double timeout_ms = opt_ms(L, fn, 6, "timeout_ms", 0);
  CallbackRefs refs = take_callback(L, 5, 4);
  EVENTHANDLE handle = 0;
  guard(L, b, fn, [&] {
    handle = service(boost, target, flags, refs.shown, make_callback(b, refs), timeout_ms);
  });
  return push_handle(L, handle);
}

int l_Call_Restricted_Event(lua_State* L) {
  constexpr const char* fn = "Call_Restricted_Event";
  require_run(L, binding(L), fn);
  EventTarget target = check_target(L, fn, 2);
  return restricted(L, fn, target, Call_Restricted_Event);
}

int l_Call_Priority_VM_Event(lua_State* L) {
  constexpr const char* fn = "Call_Priority_VM_Event";
  require_run(L, binding(L), fn);
  VMHANDLE vm = check_vm(L, fn, 2, "vm");
  return restricted(L, fn, vm, Call_Priority_VM_Event);
}

// callback_service: services taking (callback, refdata) and perhaps returning a handle.
template <class Service>
int callback_service(lua_State* L, const char* fn, Service service) {
  Binding& b = binding(L);
  require_run(L, b, fn);
  check_function(L, fn, 1, "callback");
  CallbackRefs refs = take_callback(L, 1, 2);
  EVENTHANDLE handle = 0;
  guard(L, b, fn, [&] {
    if constexpr (std::is_void_v<decltype(service(EventCallback{}, RefData{}))>) {
      service(make_callback(b, refs), refs.shown);
    } else {
      handle = service(make_callback(b, refs), refs.shown);
    }
  });
  return push_handle(L, handle);
}

int l_Call_Global_Event(lua_State* L) {
  return callback_service(L, "Call_Global_Event", Call_Global_Event);
}

int l_Schedule_Global_Event(lua_State* L) {
  return callback_service(L, "Schedule_Global_Event", Schedule_Global_Event);
}

int l_Call_When_Not_Critical(lua_State* L) {
  callback_service(L, "Call_When_Not_Critical", Call_When_Not_Critical);
  return 0;
}

int l_Call_When_VM_Ints_Enabled(lua_State* L) {
  callback_service(L, "Call_When_VM_Ints_Enabled", Call_When_VM_Ints_Enabled);
  return 0;
}

// vm_event: Call_VM_Event / Schedule_VM_Event (vm, callback, refdata).
int vm_event(lua_State* L, const char* fn, EVENTHANDLE (*service)(VMHANDLE, EventCallback, RefData)) {
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  check_function(L, fn, 2, "callback");
  CallbackRefs refs = take_callback(L, 2, 3);
  EVENTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = service(vm, make_callback(b, refs), refs.shown); });
  return push_handle(L, handle);
}

int l_Call_VM_Event(lua_State* L) { return vm_event(L, "Call_VM_Event", Call_VM_Event); }

int l_Schedule_VM_Event(lua_State* L) { return vm_event(L, "Schedule_VM_Event", Schedule_VM_Event); }

int l_Schedule_Thread_Event(lua_State* L) {
  constexpr const char* fn = "Schedule_Thread_Event";
  Binding& b = binding(L);
  require_run(L, b, fn);
  THREADHANDLE thread = check_thread(L, fn, 1, "thread");
  check_function(L, fn, 2, "callback");
  CallbackRefs refs = take_callback(L, 2, 3);
  EVENTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = Schedule_Thread_Event(thread, make_callback(b, refs), refs.shown); });
  return push_handle(L, handle);
}

int l_Set_Global_Time_Out(lua_State* L) {
  constexpr const char* fn = "Set_Global_Time_Out";
  Binding& b = binding(L);
  require_run(L, b, fn);
  double ms = check_ms(L, fn, 1, "ms");
  check_function(L, fn, 2, "callback");
  CallbackRefs refs = take_callback(L, 2, 3);
  TIMEOUTHANDLE handle = 0;
  guard(L, b, fn, [&] { handle = Set_Global_Time_Out(ms, make_callback(b, refs), refs.shown); });
  return push_handle(L, handle);
}

// cancel: Cancel_Restricted_Event, Cancel_Priority_VM_Event, Cancel_Global_Event, Cancel_Time_Out.
int cancel(lua_State* L, const char* fn, void (*service)(std::uint64_t)) {
  Binding& b = binding(L);
  require_run(L, b, fn);
  std::uint64_t handle = check_handle(L, fn, 1, "handle");
  guard(L, b, fn, [&] { service(handle); });
  return 0;
}

int l_Cancel_Restricted_Event(lua_State* L) {
  return cancel(L, "Cancel_Restricted_Event", Cancel_Restricted_Event);
}

int l_Cancel_Priority_VM_Event(lua_State* L) {
  return cancel(L, "Cancel_Priority_VM_Event", Cancel_Priority_VM_Event);
}

int l_Cancel_Global_Event(lua_State* L) { return cancel(L, "Cancel_Global_Event", Cancel_Global_Event); }

int l_Cancel_Time_Out(lua_State* L) { return cancel(L, "Cancel_Time_Out", Cancel_Time_Out); }

int l_Cancel_VM_Event(lua_State* L) {
  constexpr const char* fn = "Cancel_VM_Event";
  Binding& b = binding(L);
  require_run(L, b, fn);
  VMHANDLE vm = check_vm(L, fn, 1, "vm");
  EVENTHANDLE handle = check_handle(L, fn, 2, "handle");
  guard(L, b, fn, [&] { Cancel_VM_Event(vm, handle); });
  return 0;
}

int l_Cancel_Thread_Event(lua_State* L) {
  constexpr const char* fn = "Cancel_Thread_Event";
  Binding& b = binding(L);
  require_run(L, b, fn);
  THREADHANDLE thread = check_thread(L, fn, 1, "thread");
  EVENTHANDLE handle = check_handle(L, fn, 2, "handle");
  guard(L, b, fn, [&] { Cancel_Thread_Event(thread, handle); });
  return 0;
}

const luaL_Reg event_functions[] = {
    {"Call_Restricted_Event", l_Call_Restricted_Event},
    {"Cancel_Restricted_Event", l_Cancel_Restricted_Event},
    {"Call_Priority_VM_Event", l_Call_Priority_VM_Event},
    {"Cancel_Priority_VM_Event", l_Cancel_Priority_VM_Event},
    {"Call_Global_Event", l_Call_Global_Event},
    {"Schedule_Global_Event", l_Schedule_Global_Event},
    {"Cancel_Global_Event", l_Cancel_Global_Event},
    {"Call_VM_Event", l_Call_VM_Event},
    {"Schedule_VM_Event", l_Schedule_VM_Event},
    {"Cancel_VM_Event", l_Cancel_VM_Event},
    {"Schedule_Thread_Event", l_Schedule_Thread_Event},
    {"Cancel_Thread_Event", l_Cancel_Thread_Event},
    {"Call_When_Not_Critical", l_Call_When_Not_Critical},
    {"Call_When_VM_Ints_Enabled", l_Call_When_VM_Ints_Enabled},
    {"Set_Global_Time_Out", l_Set_Global_Time_Out},
    {"Cancel_Time_Out", l_Cancel_Time_Out},
    {nullptr, nullptr},
};

}  // namespace

const luaL_Reg* event_function_list() { return event_functions; }

}  // namespace vmmsim::lua
