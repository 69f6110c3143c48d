# check_precompiled.cmake: a precompiled chunk (luac output) is refused by `vmmsim run` and by
# `vmmsim explore` with an error naming the file (issue 11: scenarios are text).
#   -DVMMSIM=path -DLUAC=path -DSOURCE=scenario.lua -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
set(chunk ${WORK}/precompiled.luac)
execute_process(COMMAND ${LUAC} -o ${chunk} ${SOURCE} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "luac failed on ${SOURCE}")
endif()
foreach(command run explore)
  execute_process(COMMAND ${VMMSIM} ${command} ${chunk} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(FIND "${out}${err}" "precompiled.luac: a precompiled Lua chunk (luac output)" at)
  if(NOT code EQUAL 1 OR at EQUAL -1)
    message(FATAL_ERROR "vmmsim ${command} of a precompiled chunk: exit ${code}\n${out}\n${err}")
  endif()
endforeach()
