# shard_merge.cmake: docs/scaling.md's recipe: N shards with --report, merged by
# scripts/merge-explore-reports.sh, run as many schedules as one unsharded explore, and the merge
# exits with the failure's code (or 0).
#   -DVMMSIM=path -DMERGE=script -DFILE=x.lua "-DARGS=..." -DSHARDS=n -DEXPECT_EXIT=n -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${VMMSIM} explore ${FILE} ${ARGS} --report ${WORK}/whole.json RESULT_VARIABLE code
                OUTPUT_QUIET)
math(EXPR last "${SHARDS} - 1")
set(reports "")
foreach(k RANGE ${last})
  execute_process(COMMAND ${VMMSIM} explore ${FILE} ${ARGS} --shard ${k}/${SHARDS} --report ${WORK}/shard-${k}.json
                  OUTPUT_QUIET)
  list(APPEND reports ${WORK}/shard-${k}.json)
endforeach()
execute_process(COMMAND ${MERGE} ${reports} RESULT_VARIABLE mcode OUTPUT_VARIABLE merged ERROR_VARIABLE err)
if(NOT mcode STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "merge exited ${mcode}, expected ${EXPECT_EXIT}\n${merged}\n${err}")
endif()
file(READ ${WORK}/whole.json whole)
string(JSON whole_schedules GET "${whole}" schedules)
string(JSON merged_schedules GET "${merged}" schedules)
string(JSON exhausted GET "${merged}" exhausted)
if(EXPECT_EXIT STREQUAL "0" AND NOT merged_schedules STREQUAL whole_schedules)
  message(FATAL_ERROR "${SHARDS} shards ran ${merged_schedules} schedules, one explore ${whole_schedules}\n${merged}")
endif()
if(EXPECT_EXIT STREQUAL "0" AND NOT exhausted STREQUAL "ON" AND NOT exhausted STREQUAL "true")
  message(FATAL_ERROR "the merged shards should have exhausted the space\n${merged}")
endif()
