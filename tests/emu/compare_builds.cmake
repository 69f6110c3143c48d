# compare_builds.cmake: an example driver built both ways (a shared object against vmmsim/vxd.h, an
# i386 image with examples/vxd/i386) runs a scenario the same way: `vmmsim run SCENARIO` with
# VMMSIM_VXD_DIR naming each build must exit EXPECT_EXIT and print the same bytes. With -DEXPLORE=ON,
# `vmmsim explore SCENARIO ARGS` must also find the same failure, with the same token, in both, and
# the token's replay print the same log in both.
#   -DVMMSIM=path -DSCENARIO=x.lua -DNATIVE_DIR=dir -DI386_DIR=dir -DEXPECT_EXIT=n [-DEXPLORE=ON "-DARGS=..."]
#   [-DEXPECT_CONTAINS="text1;text2"]   what the run's log must show (so that two empty logs fail)
foreach(dir NATIVE_DIR I386_DIR)
  if(NOT EXISTS "${${dir}}")
    message(FATAL_ERROR "${dir} ${${dir}} does not exist")
  endif()
endforeach()

# The two directories hold what they should: ELF64 shared objects, ELF32 (i386) images.
foreach(check "NATIVE_DIR|7f454c4602|ELF64" "I386_DIR|7f454c4601|ELF32")
  string(REPLACE "|" ";" check "${check}")
  list(GET check 0 dir)
  list(GET check 1 magic)
  list(GET check 2 class)
  file(GLOB drivers "${${dir}}/lib*.so")
  if(NOT drivers)
    message(FATAL_ERROR "${dir} ${${dir}} holds no lib*.so")
  endif()
  foreach(driver IN LISTS drivers)
    file(READ ${driver} head LIMIT 5 HEX)
    if(NOT head STREQUAL magic)
      message(FATAL_ERROR "${driver} is not an ${class} file (its first bytes: ${head})")
    endif()
  endforeach()
endforeach()

# run_with(dir out code ARGS...): vmmsim ARGS with VMMSIM_VXD_DIR=dir; stdout and stderr together.
function(run_with dir out_var code_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env VMMSIM_VXD_DIR=${dir} ${VMMSIM} ${ARGN}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${out_var} "${out}${err}" PARENT_SCOPE)
  set(${code_var} "${code}" PARENT_SCOPE)
endfunction()

# same(what a b): a and b must be equal.
function(same what a b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "${what} differ between the shared object and the i386 image\n--- shared object\n${a}\n"
                        "--- i386 image\n${b}")
  endif()
endfunction()

run_with(${NATIVE_DIR} native native_code run ${SCENARIO})
run_with(${I386_DIR} image image_code run ${SCENARIO})
if(NOT native_code STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "vmmsim run ${SCENARIO} (shared object): exit ${native_code}, expected ${EXPECT_EXIT}\n${native}")
endif()
same("exit codes of vmmsim run" "${native_code}" "${image_code}")
same("logs of vmmsim run" "${native}" "${image}")
foreach(text IN LISTS EXPECT_CONTAINS)
  string(FIND "${native}" "${text}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "vmmsim run ${SCENARIO}: the log lacks \"${text}\"\n${native}")
  endif()
endforeach()
if(NOT EXPLORE)
  return()
endif()

run_with(${NATIVE_DIR} native native_code explore ${SCENARIO} ${ARGS})
run_with(${I386_DIR} image image_code explore ${SCENARIO} ${ARGS})
same("exit codes of vmmsim explore" "${native_code}" "${image_code}")
if(native_code STREQUAL "0")
  message(FATAL_ERROR "vmmsim explore ${SCENARIO} ${ARGS} found no failure\n${native}")
endif()
foreach(build native image)
  string(REGEX MATCH "\ntoken: ([^\n]+)" m "${${build}}")
  set(${build}_token "${CMAKE_MATCH_1}")
  string(REGEX MATCH "failure at schedule [0-9]+: [a-z_]+\n" ${build}_failure "${${build}}")
endforeach()
if(native_token STREQUAL "")
  message(FATAL_ERROR "vmmsim explore ${SCENARIO} ${ARGS} printed no token\n${native}")
endif()
same("tokens of vmmsim explore" "${native_token}" "${image_token}")
same("failures of vmmsim explore" "${native_failure}" "${image_failure}")
run_with(${NATIVE_DIR} native native_code run ${SCENARIO} --schedule ${native_token})
run_with(${I386_DIR} image image_code run ${SCENARIO} --schedule ${native_token})
same("exit codes of the replay" "${native_code}" "${image_code}")
same("logs of the replay" "${native}" "${image}")
