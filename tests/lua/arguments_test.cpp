// arguments_test.cpp: argument checks: every misuse raises a plain Lua error (no position, so a
// pcall sees it verbatim) starting with the name of the call and naming the argument or field.
#include <fmt/format.h>

#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

struct Misuse {
  const char* where;     // "setup": at the top level; "run": in a thread body
  const char* code;      // a Lua expression statement that must fail
  const char* expected;  // the start of the error message
};

void PrintTo(const Misuse& m, std::ostream* os) { *os << m.where << ": " << m.code; }

class Arguments : public ScenarioTest, public ::testing::WithParamInterface<Misuse> {};

TEST_P(Arguments, MisuseRaisesANamedError) {
  const Misuse& m = GetParam();
  std::string probe = fmt::format(
      "local ok, msg = pcall(function() {} end)\n"
      "vmm.log('%s|%s', tostring(ok), tostring(msg))\n", m.code);
  std::string source = std::string(m.where) == "run"
                           ? "vmm.create_thread{name = 'A', body = function()\n" + probe + "end}\n"
                           : probe;
  LuaRunResult r = run(source);
  ASSERT_EQ(r.outcome, Outcome::finished) << r.message;
  ASSERT_EQ(log_.logged().size(), 1u);
  std::string line = log_.logged()[0];
  EXPECT_EQ(line.rfind(std::string("false|") + m.expected, 0), 0u) << line;
}

const Misuse kMisuses[] = {
    {"setup", "vmm.create_thread{name = 'A'}", "vmm.create_thread: field 'body' must be a function, got nil"},
    {"setup", "vmm.create_thread{body = print}", "vmm.create_thread: field 'name' must be a string, got nil"},
    {"setup", "vmm.create_thread{name = 'A', body = print, prio = 1}", "vmm.create_thread: unknown field 'prio'"},
    {"setup", "vmm.create_thread('A')", "vmm.create_thread: argument #1 must be a table of fields, got string"},
    {"setup", "vmm.create_thread{name = 'A', body = print, priority = 1.5}",
     "vmm.create_thread: field 'priority' must be an integer, got number"},
    {"setup", "vmm.create_thread{name = 'A', body = print, priority = -1}", "vmm.create_thread: priority -1"},
    {"setup", "vmm.create_vm{name = 'V', body = print, pm = 1}", "vmm.create_vm: field 'pm' must be a boolean, got number"},
    {"setup", "vmm.config{time_slice = 0}", "vmm.config: field 'time_slice' must be a finite number > 0"},
    {"setup", "vmm.config{slice = 1}", "vmm.config: unknown field 'slice'"},
    {"setup", "vmm.config(5)", "vmm.config: argument #1 must be a table of fields, got number"},
    {"setup", "vmm.at('1', print)", "vmm.at: argument #1 'ms' must be a number of milliseconds, got string"},
    {"setup", "vmm.at(1, 'print')", "vmm.at: argument #2 'fn' must be a function, got string"},
    {"setup", "vmm.every(0, print)", "vmm.every: argument #1 'ms' must be > 0"},
    {"setup", "vmm.every(1, print, 0)", "vmm.every: argument #3 'count' must be at least 1, got 0"},
    {"setup", "vmm.on_exit(1)", "vmm.on_exit: argument #1 'fn' must be a function, got number"},
    {"setup", "vmm.Call_Global_Event(print, 0)", "Call_Global_Event: only during a run"},
    {"setup", "vmm._SignalID('x')", "_SignalID: only during a run"},
    {"setup", "vmm.ring3(1)", "vmm.ring3: only during a run"},
    {"setup", "vmm.log({})", "vmm.log: argument #1 'fmt' must be a string, got table"},
    {"setup", "vmm.log('%d', 'x')", "vmm.log: bad argument #2 to "},
    {"run", "vmm.Call_Restricted_Event(0, 5, 0, nil, print)",
     "Call_Restricted_Event: argument #2 'handle' must be 0 (a global event), a VM or a thread, got 5"},
    {"run", "vmm.Call_Restricted_Event('0', 0, 0, nil, print)",
     "Call_Restricted_Event: argument #1 'boost' must be an integer, got string"},
    {"run", "vmm.Call_Restricted_Event(0, 0, -1, nil, print)",
     "Call_Restricted_Event: argument #3 'flags' must be a 32-bit flag set, got -1"},
    {"run", "vmm.Call_Restricted_Event(0, 0, 0, nil, nil)",
     "Call_Restricted_Event: argument #5 'callback' must be a function, got nil"},
    {"run", "vmm.Call_Restricted_Event(0, 0, vmm.PEF_Time_Out, nil, print, -5)",
     "Call_Restricted_Event: argument #6 'timeout_ms' must be a finite number >= 0"},
    {"run", "vmm.Call_Restricted_Event(0, 0, vmm.PEF_Wait_For_STI | vmm.PEF_Wait_For_Thread_STI, nil, print)",
     "Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI"},
    {"run", "vmm.Call_Priority_VM_Event(0, vmm.current_thread(), 0, nil, print)",
     "Call_Priority_VM_Event: argument #2 'vm' must be a VM, got thread"},
    {"run", "vmm.Schedule_Thread_Event(vmm.sys_vm, print)",
     "Schedule_Thread_Event: argument #1 'thread' must be a thread, got VM"},
    {"run", "vmm.Call_VM_Event(nil, print)", "Call_VM_Event: argument #1 'vm' must be a VM, got nil"},
    {"run", "vmm.Cancel_Global_Event('h')", "Cancel_Global_Event: argument #1 'handle' must be an integer, got string"},
    {"run", "vmm.Cancel_Global_Event(1.5)", "Cancel_Global_Event: argument #1 'handle' must be an integer, got 1.5"},
    {"run", "vmm.Cancel_Global_Event(12345)", "Cancel_Global_Event: "},
    {"run", "vmm.Cancel_Thread_Event(vmm.current_thread(), {})",
     "Cancel_Thread_Event: argument #2 'handle' must be an integer, got table"},
    {"run", "vmm.Set_Global_Time_Out(1, 2, 3)", "Set_Global_Time_Out: argument #2 'callback' must be a function, got number"},
    {"run", "vmm._BlockOnID(1.5)", "_BlockOnID: argument #1 'id' must be an integer or a string, got 1.5"},
    {"run", "vmm._SignalID({})", "_SignalID: argument #1 'id' must be an integer or a string, got table"},
    {"run", "vmm._BlockOnID('x', 'y')", "_BlockOnID: argument #2 'flags' must be an integer, got string"},
    {"run", "vmm.Wait_Semaphore(nil)", "Wait_Semaphore: argument #1 'semaphore' must be an integer, got nil"},
    {"run", "vmm.Create_Semaphore()", "Create_Semaphore: argument #1 'count' must be an integer, got no value"},
    {"run", "vmm.Adjust_Thread_Exec_Priority(1, vmm.sys_vm)",
     "Adjust_Thread_Exec_Priority: argument #2 'thread' must be a thread, got VM"},
    {"run", "vmm.Suspend_VM(nil)", "Suspend_VM: argument #1 'vm' must be a VM, got nil"},
    {"run", "vmm.End_Critical_Section()", "End_Critical_Section: "},
    {"run", "vmm.Exec_Int(256)", "Exec_Int: argument #1 'n' must be an interrupt number 0..255, got 256"},
    {"run", "vmm.Resume_Exec('x')", "Resume_Exec: argument #1 'ms' must be a number of milliseconds, got string"},
    {"run", "vmm.set_pm(1)", "vmm.set_pm: argument #1 'protected_mode' must be a boolean, got number"},
    {"run", "vmm.set_v86_ints_locked()", "vmm.set_v86_ints_locked: argument #1 'locked' must be a boolean, got no value"},
    {"run", "vmm.ring3(-1)", "vmm.ring3: argument #1 'ms' must be a finite number >= 0"},
    {"run", "vmm.ring3(math.huge)", "vmm.ring3: argument #1 'ms' must be a finite number >= 0"},
    {"run", "vmm.hw_int()", "vmm.hw_int: argument #1 'ms' must be a number of milliseconds, got no value"},
    {"run", "vmm.config{max_time = 5}", "vmm.config: only at set-up time (the top level of the scenario), not during the run"},
};

INSTANTIATE_TEST_SUITE_P(Misuses, Arguments, ::testing::ValuesIn(kMisuses));

class UncaughtArgument : public ScenarioTest {};

TEST_F(UncaughtArgument, NamesTheFileAndLine) {
  LuaRunResult r = run("local x = 1\nvmm.create_thread{name = 'A'}\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.message, path("s.lua") + ":2: vmm.create_thread: field 'body' must be a function, got nil");
}

}  // namespace

}  // namespace vmmsim::lua::test
