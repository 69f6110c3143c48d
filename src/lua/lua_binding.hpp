// lua_binding.hpp: what the files of the Lua binding share (internal; the CLI uses lua_scenario.hpp).
//
// The binding is shaped like Lua's lcorolib.c: small checked C functions, one luaL_Reg table per
// file, each file installing its part of the `vmm` table with an open_* function.
//
// Two unwinding mechanisms meet here: Lua raises errors with longjmp, vmmsim with C++ exceptions.
// Neither may cross the other, so every C function registered in Lua has the same shape:
//
//   1. check phase: read and check the arguments with the check_* helpers below. They may raise a
//      Lua error, so only trivially destructible locals may exist at this point.
//   2. C++ phase: guard() runs a lambda calling the simulator inside try/catch; every C++ object is
//      created and destroyed inside it. guard() turns a ServiceError into a Lua error (raised after
//      the catch block has been left), and a ThreadKilled (the run is over) into
//      abandon_current_thread().
//   3. push the results.
//
// Calling Lua from C++ (bodies, callbacks, interrupt handlers, on_exit) goes the other way through
// protected_call() (lua_call.cpp): a lua_pcall with message_handler, whose failure becomes a
// ScenarioError thrown after lua_pcall has returned.
#pragma once

#include <lua.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/binding.hpp"
#include "vmmsim/vmmsim.hpp"

namespace vmmsim::lua {

// Phase: where the run of one scenario is. Services and thread actions are accepted only in running
// (the simulator's run() is executing); vmm.config only in setup; the other set-up calls (threads,
// VMs, interrupts, on_exit) in both, as the Machine allows them during a run (VMMCreateThread).
enum class Phase : std::uint8_t { setup, running, finished };

struct MemoryBudget;  // lua_limits.hpp

// Binding: the state of one run_lua_scenario call. Every C function of the `vmm` table receives it as
// upvalue 1 (a light userdata); C++ closures handed to the simulator capture a pointer to it. It
// outlives the Machine, which outlives nothing Lua: run_lua_scenario destroys the Machine before
// lua_close, so the registry references released by LuaRef destructors are still valid.
struct Binding {
  lua_State* L0 = nullptr;          // the main state: the chunk, on_exit, registry bookkeeping
  Machine* machine = nullptr;
  LogSink* log = nullptr;           // for vmm.log outside a run
  Phase phase = Phase::setup;
  int threads_ref = LUA_NOREF;      // registry: table light userdata (THREADHANDLE) -> thread value
  int vms_ref = LUA_NOREF;          // registry: table light userdata (VMHANDLE) -> VM value
  int format_ref = LUA_NOREF;       // registry: string.format as it was when the state opened
  std::vector<int> on_exit;         // registry refs of the vmm.on_exit functions, in call order
  std::unordered_map<std::string, BlockId> string_ids;  // interned string IDs (intern_id)
  std::vector<const std::string*> id_strings;  // the interned strings by index (the ID's low bits)
  std::string pending_error;        // carries a message out of a catch block to lua_error
  std::string fatal_error;          // the first fatal (non-service) exception a guard saw in a run
  // State matching (explore --reduce, lua_state_hash.hpp): allowed until the scenario observes the
  // garbage collector; then refused says how, and where.
  bool state_matching_allowed = true;
  std::string state_matching_refused;
  // Limits (lua_limits.hpp): Lua instructions since the last call into vmm, counted by the step hook.
  std::uint64_t steps = 0;
  std::uint64_t max_steps = 0;        // 0: no limit
  // stop_message / stop_outcome: why the step hook stopped the code (a runaway past max_steps, an
  // interrupt); outside the run it keeps raising this message as an error.
  std::string stop_message;
  Outcome stop_outcome = Outcome::error;
  MemoryBudget* memory = nullptr;
  const std::atomic<bool>* interrupt = nullptr;  // LuaRunOptions::interrupt
  std::string memory_where;           // the line last seen running while memory was over half the limit
};

// binding: the Binding of the C function being executed (its upvalue 1). Every call into vmm asks
// for it, so it also restarts the --max-steps count.
Binding& binding(lua_State* L);

// open_*: each adds its functions to the table on top of the stack (the `vmm` table), with the
// binding as their upvalue. They run in protected mode (see lua_scenario.cpp).
void open_objects(lua_State* L, Binding& b);    // lua_objects.cpp: metatables and caches
void open_setup(lua_State* L, Binding& b);      // lua_setup.cpp: vmm.sys_vm
void open_runtime(lua_State* L, Binding& b);    // lua_runtime.cpp: what vmm.log needs
// open_next (lua_next.cpp): replaces the globals next and pairs with ones that traverse a table in a
// fixed order (numbers, strings bytewise, false, true, then other keys by address), not in the order
// of Lua's seeded string hash.
void open_next(lua_State* L);
// kNextCacheKey: the registry field of next's cache (lua_next.cpp), a weak-keyed table from a table
// to the sorted snapshot of its keys. It is not scenario state: it only speeds up a traversal, is
// rebuilt identically when missing, and what next returns never depends on whether it is there, so a
// fingerprint of the Lua heap skips it.
inline constexpr const char* kNextCacheKey = "vmmsim.next_cache";
// open_vmm_on_first_use (lua_vmm_table.cpp): the functions and constants of the `vmm` table go in
// when first read, from these lists (each ends with {nullptr, nullptr}) and vmmsim::constants().
void open_vmm_on_first_use(lua_State* L, Binding& b);
const luaL_Reg* setup_function_list();    // lua_setup.cpp
const luaL_Reg* runtime_function_list();  // lua_runtime.cpp: now, log, thread actions
const luaL_Reg* event_function_list();    // lua_events.cpp: event services and time-outs
const luaL_Reg* service_function_list();  // lua_services.cpp: the other DDK services
const luaL_Reg* driver_function_list();
const luaL_Reg* vxd_function_list();      // lua_vxd.cpp: vmm.load_vxd   // lua_driver_services.cpp: mutexes, time slicer, VM time-outs ...

// --- Thread and VM values (lua_objects.cpp) ---------------------------------------------------------
// push_thread / push_vm: push the one Lua value of a thread / VM (nil for nullptr). One value per
// object, so == compares identity.
void push_thread(lua_State* L, Binding& b, THREADHANDLE thread);
void push_vm(lua_State* L, Binding& b, VMHANDLE vm);
// to_thread / to_vm: the handle boxed by the value at idx, or nullptr if it is not one.
THREADHANDLE to_thread(lua_State* L, int idx);
VMHANDLE to_vm(lua_State* L, int idx);

// --- Argument checks (lua_checks.cpp) ---------------------------------------------------------------
// Each raises "<fn>: argument #<arg> '<name>' must be ..., got <type>" as a plain Lua error (no
// position: the message handler adds the scenario's file:line when nothing catches it).
[[noreturn]] void raise_message(lua_State* L, const char* fmt, ...);
lua_Integer check_integer(lua_State* L, const char* fn, int arg, const char* name);
lua_Integer opt_integer(lua_State* L, const char* fn, int arg, const char* name, lua_Integer def);
double check_ms(lua_State* L, const char* fn, int arg, const char* name);  // finite and >= 0
double opt_ms(lua_State* L, const char* fn, int arg, const char* name, double def);
Flags check_flags(lua_State* L, const char* fn, int arg, const char* name);
Flags opt_flags(lua_State* L, const char* fn, int arg, const char* name);
bool check_boolean(lua_State* L, const char* fn, int arg, const char* name);
void check_function(lua_State* L, const char* fn, int arg, const char* name);
THREADHANDLE check_thread(lua_State* L, const char* fn, int arg, const char* name);
VMHANDLE check_vm(lua_State* L, const char* fn, int arg, const char* name);
std::uint64_t check_handle(lua_State* L, const char* fn, int arg, const char* name);
// require_run / require_setup / require_not_over: raise "<fn>: ..." unless the run is executing / has
// not started / has not ended.
void require_run(lua_State* L, const Binding& b, const char* fn);
void require_setup(lua_State* L, const Binding& b, const char* fn);
void require_not_over(lua_State* L, const Binding& b, const char* fn);

// --- The error protocol (guard) ---------------------------------------------------------------------
enum class GuardStatus : std::uint8_t { ok, raise, abandon };

// fail_status: what a non-service exception means. In a run it is fatal (a callback failed and the
// run is ending): remembered in fatal_error, then abandon. Outside a run it is a Lua error "<fn>: ...".
GuardStatus fail_status(Binding& b, const char* fn, const char* what) noexcept;
// raise_pending: lua_error with b.pending_error. Called outside any catch block.
[[noreturn]] void raise_pending(lua_State* L, Binding& b);

// guard_status: runs f, converting every exception to a status. Nothing Lua happens in here.
template <class F>
GuardStatus guard_status(Binding& b, const char* fn, F& f) noexcept {
  try {
    f();
    return GuardStatus::ok;
  } catch (const ServiceError& e) {
    // The set-up calls' errors name Machine::*, the C++ spelling; here they are the vmm.* one.
    b.pending_error = e.service().starts_with("Machine::") ? std::string(fn) + ": " + e.detail() : e.what();
    return GuardStatus::raise;
  } catch (const ThreadKilled&) {
    return GuardStatus::abandon;
  } catch (const std::exception& e) {
    return fail_status(b, fn, e.what());
  } catch (...) {
    return fail_status(b, fn, "unknown C++ exception");
  }
}

// guard: runs f (a lambda capturing by reference) under the error protocol. Returns only if f
// succeeded; otherwise raises the Lua error or abandons the fiber, after the catch block is left.
template <class F>
void guard(lua_State* L, Binding& b, const char* fn, F&& f) {
  static_assert(std::is_trivially_destructible_v<std::remove_reference_t<F>>,
                "a guarded lambda must capture by reference: lua_error skips destructors");
  switch (guard_status(b, fn, f)) {
    case GuardStatus::ok:
      return;
    case GuardStatus::raise:
      raise_pending(L, b);
    case GuardStatus::abandon:
      break;
  }
  binding::abandon_current_thread();
}

// --- Calling Lua from C++ (lua_call.cpp) ------------------------------------------------------------
// LuaRef: owns a registry reference (luaL_ref) and releases it when destroyed.
class LuaRef {
 public:
  LuaRef(Binding& b, int ref) noexcept : b_(&b), ref_(ref) {}
  ~LuaRef();
  LuaRef(const LuaRef&) = delete;
  LuaRef& operator=(const LuaRef&) = delete;
  int get() const { return ref_; }

 private:
  Binding* b_;
  int ref_;
};

// CallbackRefs: registry refs of a Lua function and (for events) its refdata; taken in the check phase
// with take_callback, owned by the closure that make_* builds from them.
struct CallbackRefs {
  int fn = LUA_NOREF;
  int refdata = LUA_REFNIL;
  RefData shown = 0;  // what the simulator logs as refdata: the value if a non-negative integer, else 0
};
// take_callback: refs for the function at fn_arg and the value at refdata_arg (0: none). Call it at
// the end of the check phase: the refs leak (until lua_close) if an argument check fails after it.
CallbackRefs take_callback(lua_State* L, int fn_arg, int refdata_arg);

// make_*: C++ closures for the simulator. Each runs its Lua function on the lua_State of the current
// simulated thread (state_for) and throws ScenarioError "file.lua:12: message" if it fails.
Body make_body(Binding& b, CallbackRefs refs);
EventCallback make_callback(Binding& b, CallbackRefs refs);
IdleCallback make_idle_callback(Binding& b, CallbackRefs refs);
InterruptHandler make_handler(Binding& b, CallbackRefs refs);

// state_for: the lua_State for Lua code running as thread (created on first use, anchored in the
// registry, kept in Machine::user_data). Each simulated thread runs on its own fiber, so each needs
// its own Lua thread.
lua_State* state_for(Binding& b, THREADHANDLE thread);

// message_handler: the lua_pcall message handler: prefixes "file:line: " (the first Lua frame with a
// line) to a message that has no position yet.
int message_handler(lua_State* L);
// protected_call: lua_pcall(trampoline(data)) on L with message_handler; on failure throws
// ScenarioError with the handled message. The stack of L is left as it was.
void protected_call(lua_State* L, lua_CFunction trampoline, void* data);

// intern_id: the BlockId of a string ID: 1<<63 | index, named in the log (name_block_id). Run only.
BlockId intern_id(Binding& b, const std::string& id);

}  // namespace vmmsim::lua
