# check_outputs.cmake: runs `vmmsim run FILE` with all three outputs, then timeline_check on them.
#   -DVMMSIM=path -DCHECK=path -DFILE=scenario.lua -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${VMMSIM} run ${FILE} --quiet --trace ${WORK}/t.jsonl --timeline ${WORK}/t.html
                        --chrome-trace ${WORK}/t.json
                RESULT_VARIABLE code OUTPUT_QUIET ERROR_VARIABLE err)
if(code GREATER 4)
  message(FATAL_ERROR "vmmsim run ${FILE}: exit code ${code}\n${err}")
endif()
execute_process(COMMAND ${CHECK} ${WORK}/t.jsonl ${WORK}/t.html ${WORK}/t.json RESULT_VARIABLE check OUTPUT_VARIABLE out)
if(NOT check EQUAL 0)
  message(FATAL_ERROR "timeline_check ${FILE}:\n${out}")
endif()
