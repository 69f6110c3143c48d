# check_explore.cmake: `vmmsim explore FILE --timeline --trail` on a scenario with a planted tie bug:
# exit 4 (starved), a trail line for the non-default choice, and a page that carries the choice.
#   -DVMMSIM=path -DFILE=scenario.lua -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${VMMSIM} explore ${FILE} --timeline ${WORK}/failing.html --trail
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 4)
  message(FATAL_ERROR "explore: exit code ${code}, expected 4\n${out}\n${err}")
endif()
string(FIND "${out}" ">>> choice point 0 (thread_tie): option 1 of 2" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the trail lacks the non-default tie choice\n${out}")
endif()
file(READ ${WORK}/failing.html page)
string(FIND "${page}" "thread_tie" marked)
if(marked EQUAL -1)
  message(FATAL_ERROR "the page does not carry the choice taken")
endif()
