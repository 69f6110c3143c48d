# prove_vs_reduce.cmake: `vmmsim explore FILE ARGS --prove` against `... --reduce` on a form that
# survives: both must exit EXPECT_EXIT with the same verdict (exhausted), --prove must say it proved
# the space, and it must store no more states than dfs --reduce fingerprinted. --prove --branch-by
# fork is the same search as the default (rerun): its summary line (states, matched, transitions,
# depth, runs ended) must be the same.
# -DFEWER=1: --prove must store fewer states than --reduce: the form has states that differ only in
# orders --prove leaves out of its fingerprints (tie order, the blocked list; model.md section 7).
#   -DVMMSIM=path -DFILE=x.lua "-DARGS=--spurious-wakeups" -DEXPECT_EXIT=0 -DWORK=dir [-DFEWER=1]
foreach(mode reduce prove)
  execute_process(COMMAND ${VMMSIM} explore ${FILE} ${ARGS} --${mode} --report ${WORK}/${mode}.json
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT "${code}" STREQUAL "${EXPECT_EXIT}")
    message(FATAL_ERROR "vmmsim explore ${FILE} ${ARGS} --${mode}: exit code ${code}, expected ${EXPECT_EXIT}\n${out}\n${err}")
  endif()
  file(READ ${WORK}/${mode}.json json_${mode})
  string(JSON exhausted_${mode} GET "${json_${mode}}" exhausted)
  set(out_${mode} "${out}")
endforeach()
if(NOT exhausted_reduce STREQUAL exhausted_prove)
  message(FATAL_ERROR "--reduce exhausted: ${exhausted_reduce}, --prove: ${exhausted_prove}\n${out_prove}")
endif()
string(FIND "${out_prove}" "no failure: proved: every reachable state was expanded" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "--prove did not say it proved the space\n${out_prove}")
endif()
string(JSON reduce_states GET "${json_reduce}" state_matching states)
string(JSON prove_states GET "${json_prove}" proof states)
string(JSON proved GET "${json_prove}" proof proved)
if(NOT proved OR prove_states GREATER reduce_states)
  message(FATAL_ERROR "--prove stored ${prove_states} states (proved: ${proved}), dfs --reduce ${reduce_states}\n${out_prove}")
endif()
if(FEWER AND NOT prove_states LESS reduce_states)
  message(FATAL_ERROR "--prove stored ${prove_states} states, no fewer than dfs --reduce's ${reduce_states}: "
                      "states that differ only in tie order did not match\n${out_prove}")
endif()
execute_process(COMMAND ${VMMSIM} explore ${FILE} ${ARGS} --prove --branch-by fork
                RESULT_VARIABLE rcode OUTPUT_VARIABLE rout ERROR_VARIABLE rerr)
string(REGEX MATCH "\nsummary: [^\n]+" fork_summary "${out_prove}")
string(REGEX MATCH "\nsummary: [^\n]+" rerun_summary "${rout}")
if(NOT "${rcode}" STREQUAL "${EXPECT_EXIT}" OR fork_summary STREQUAL "" OR NOT fork_summary STREQUAL rerun_summary)
  message(FATAL_ERROR "--branch-by fork (exit ${rcode}) searched differently from rerun:\n${fork_summary}\n---\n${rout}\n${rerr}")
endif()
message(STATUS "${FILE}: --prove ${prove_states} states, --reduce ${reduce_states}")
