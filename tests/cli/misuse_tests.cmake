# misuse_tests.cmake: the rows of the misuse table (docs/errors.md) that a user meets through the
# command line: scenario files (tests/cli/misuse/*.lua, each opening with the row it exercises) and
# command-line arguments. Each test runs `vmmsim ARGS` in tests/cli/misuse and checks the exit code
# and that every text of CONTAINS appears in stdout+stderr (a ";" in a text splits it in two, each of
# which must appear). The C++ rows are in tests/misuse/misuse_test.cpp.
set(MISUSE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/misuse)

# misuse_test(NAME EXIT CONTAINS ARG...): the test misuse.NAME runs `vmmsim ARG...`.
function(misuse_test name code contains)
  add_test(NAME misuse.${name}
           COMMAND ${CMAKE_COMMAND} -DVMMSIM=${CLI} "-DARGS=${ARGN}" -DEXPECT_EXIT=${code}
                   "-DEXPECT_CONTAINS=${contains}" -P ${RUN}
           WORKING_DIRECTORY ${MISUSE_DIR})
endfunction()

# --- Lua errors: file and line -----------------------------------------------------------------------
misuse_test(syntax_error 1 "error: syntax_error.lua:5: <name> expected near '='" run syntax_error.lua)
misuse_test(runtime_error 1 "error: runtime_error.lua:8: attempt to index a nil value (local 'config')"
            run runtime_error.lua)
misuse_test(runtime_error_top_level 1
            "error: runtime_error_top_level.lua:4: attempt to call a nil value (field 'create_thraed')"
            run runtime_error_top_level.lua)

# --- Service errors: caught with pcall, or ending the run ----------------------------------------------
misuse_test(pcall_catches_service_error 0 "pcall_catches_service_error: all rows matched"
            run pcall_catches_service_error.lua)
misuse_test(uncaught_service_error 1
            "error: uncaught_service_error.lua:7: Call_Restricted_Event: PEF_Wait_For_STI cannot be combined with PEF_Wait_For_Thread_STI"
            run uncaught_service_error.lua)
misuse_test(callback_error_ends_run 1 "error: callback_error_ends_run.lua:7: End_Nest_Exec: no matching Begin_Nest_Exec"
            run callback_error_ends_run.lua)
misuse_test(interrupt_time_error 1
            "error: interrupt_time_error.lua:6: Begin_Critical_Section: may not be called at interrupt time (model.md section 3)"
            run interrupt_time_error.lua)
misuse_test(ring0_callback_error 1
            "error: ring0_callback_error.lua:6: _BlockOnID: a PEF_Ring0_Event callback must not block (DDK \"Call_Restricted_Event\")"
            run ring0_callback_error.lua)
misuse_test(idle_callback_error 1
            "error: idle_callback_error.lua:6: ring3: a callback run by the idle thread sys may not run ring-3 code (model.md section 1)"
            run idle_callback_error.lua)
misuse_test(body_returns_owning_crit 1 "error: A: body returned while owning the critical section"
            run body_returns_owning_crit.lua)
misuse_test(body_returns_nested 1 "error: A: body returned inside nested execution (missing End_Nest_Exec)"
            run body_returns_nested.lua)
misuse_test(cancel_twice 1
            "error: cancel_twice.lua:6: Cancel_Restricted_Event: stale event handle 4294967297 (its event already ran or was cancelled)"
            run cancel_twice.lua)
misuse_test(wrong_cancel_service 1
            "error: wrong_cancel_service.lua:7: Cancel_Global_Event: handle 4294967297 belongs to a VM event for System VM #1 PEF_Always_Sched event; cancel it with Cancel_VM_Event"
            run wrong_cancel_service.lua)
misuse_test(event_for_finished_thread 1
            "error: event_for_finished_thread.lua:6: Schedule_Thread_Event: thread B has finished"
            run event_for_finished_thread.lua)
misuse_test(pending_event_target_finished 3 "stuck:;target finished: no thread is left to run it"
            run pending_event_target_finished.lua)
misuse_test(zero_time_loop 4
            "starved: zero-time livelock: A reached more than 1000000 event processing points at the virtual instant 0.000 ms"
            run zero_time_loop.lua)
misuse_test(deep_c_recursion 1 "error: deep_c_recursion.lua:10: C stack overflow" run deep_c_recursion.lua)
misuse_test(suspend_vm_fails 0
            "warning: Suspend_VM fails: the System VM cannot be suspended (DDK);warning: Suspend_VM fails: VM V owns the critical section (DDK);finished at"
            run suspend_vm_fails.lua)

# --- Set-up calls, vmm.config, vmm.at / vmm.every, on_exit ---------------------------------------------
misuse_test(config_bad_value 1
            "error: config_bad_value.lua:3: vmm.config: field 'time_slice' must be a finite number > 0, got 0.0"
            run config_bad_value.lua)
misuse_test(config_during_run 1
            "error: config_during_run.lua:4: vmm.config: only at set-up time (the top level of the scenario), not during the run"
            run config_during_run.lua)
misuse_test(at_in_the_past 1 "error: at_in_the_past.lua:6: vmm.at: time 4.000 ms is in the past (now 5.000 ms)"
            run at_in_the_past.lua)
misuse_test(every_bad_period 1 "error: every_bad_period.lua:3: vmm.every: period must be at least 0.001 ms"
            run every_bad_period.lua)
misuse_test(service_at_setup_time 1
            "error: service_at_setup_time.lua:4: Call_Global_Event: only during a run (in a thread body, an event callback or an interrupt handler), not at set-up time"
            run service_at_setup_time.lua)
misuse_test(service_in_on_exit 1
            "finished at 1.000 ms;error: service_in_on_exit.lua:7: Schedule_Global_Event: only during a run (in a thread body, an event callback or an interrupt handler), not after the run"
            run service_in_on_exit.lua)
misuse_test(on_exit_error 1 "finished at 1.000 ms;error: on_exit_error.lua:5: no report for finished"
            run on_exit_error.lua)

# --- Wrong argument types to vmm.* ----------------------------------------------------------------------
misuse_test(wrong_argument_types 0 "wrong_argument_types: all rows matched" run wrong_argument_types.lua)
misuse_test(uncaught_wrong_argument 1
            "error: uncaught_wrong_argument.lua:5: Schedule_Thread_Event: argument #1 'thread' must be a thread, got VM"
            run uncaught_wrong_argument.lua)

# --- Scenario files ---------------------------------------------------------------------------------------
misuse_test(missing_file 2 "vmmsim run: cannot open 'does_not_exist.lua': No such file or directory"
            run does_not_exist.lua)
misuse_test(unreadable_file 2 "vmmsim run: cannot read '.': Is a directory" run .)

# --- Command-line arguments (exit 2) -------------------------------------------------------------------
misuse_test(unknown_option 2 "The following argument was not expected: --bogus" run finishes.lua --bogus)
misuse_test(missing_file_argument 2 "scenario is required" run)
misuse_test(extra_argument 2 "The following argument was not expected: second.lua" run finishes.lua second.lua)
misuse_test(bad_seed 2 "--seed: 'abc' is not an integer from 0 to 18446744073709551615" run finishes.lua --seed abc)
misuse_test(fractional_seed 2 "--seed: '1.5' is not an integer from 0 to 18446744073709551615"
            run finishes.lua --seed 1.5)
misuse_test(negative_seed 2 "--seed: '-1' is not an integer from 0 to 18446744073709551615" run finishes.lua --seed -1)
misuse_test(seed_too_large 2 "--seed: '18446744073709551616' is not an integer from 0 to 18446744073709551615"
            run finishes.lua --seed 18446744073709551616)
misuse_test(seed_without_value 2 "--seed: 1 required" run finishes.lua --seed)
# Bare `vmmsim` prints the help (and exits 2: no command was given).
misuse_test(no_subcommand 2 "Usage: vmmsim [OPTIONS] SUBCOMMAND;Subcommands:")
misuse_test(option_of_explore_given_to_run 2 "vmmsim run: --jitter is an option of `vmmsim explore`, not of `vmmsim run`"
            run finishes.lua --jitter 2)
# An unknown subcommand exits 2, but CLI11's message does not name it (docs/errors.md, Known gaps).
misuse_test(unknown_subcommand 2 "vmmsim: unknown command 'frobnicate' (commands: run, explore)" frobnicate finishes.lua)
misuse_test(unwritable_trace 2 "vmmsim run: cannot open '/nonexistent-dir/t.jsonl' for writing"
            run finishes.lua --trace /nonexistent-dir/t.jsonl)
misuse_test(unwritable_timeline 2 "vmmsim run: cannot open '/nonexistent-dir/t.html' for writing"
            run finishes.lua --timeline /nonexistent-dir/t.html)

# Left out, not implemented yet (scenario-api.md "Command line"): `vmmsim explore` and
# `vmmsim run --schedule TOKEN`; their misuse rows (bad --strategy, --shard, --jitter, a malformed
# TOKEN) belong here once they exist.

