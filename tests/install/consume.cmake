# consume.cmake MODE=stage|find_package|pkg_config|pkg_config_gxx|add_subdirectory: one way a user
# outside this tree gets vmmsim (tests/install/CMakeLists.txt). Fails with the step's output.
function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

# serial_driver's documented outcome (examples/cxx/serial_driver.cpp: exit 0, the reader gets "OK").
function(check_driver exe)
  step("running ${exe}" ${exe})
  if(NOT step_output MATCHES "reader got \"OK\"")
    message(FATAL_ERROR "${exe} ran, but its log lacks 'reader got \"OK\"':\n${step_output}")
  endif()
endfunction()

set(cxx_flags "")
if(LDFLAGS)
  set(cxx_flags -DCMAKE_EXE_LINKER_FLAGS=${LDFLAGS})
endif()

if(MODE STREQUAL "stage")
  file(REMOVE_RECURSE ${STAGE})
  step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${STAGE})
  foreach(f bin/vmmsim ${LIBDIR}/libvmmsim.a include/vmmsim/vmmsim.hpp
            ${LIBDIR}/cmake/vmmsim/vmmsimConfig.cmake ${LIBDIR}/cmake/vmmsim/vmmsimTargets.cmake
            ${LIBDIR}/cmake/vmmsim/vmmsimConfigVersion.cmake ${LIBDIR}/pkgconfig/vmmsim.pc
            share/man/man1/vmmsim.1 share/vmmsim/lua/vmm.lua share/vmmsim/examples/.luarc.json
            share/vmmsim/examples/resume_exec_deadlock.lua share/vmmsim/examples/cxx/serial_driver.cpp
            share/vmmsim/examples/cxx/CMakeLists.txt share/doc/vmmsim/README.md)
    if(NOT EXISTS ${STAGE}/${f})
      message(FATAL_ERROR "the install lacks ${f}")
    endif()
  endforeach()
  # The installed command runs the installed examples.
  execute_process(COMMAND ${STAGE}/bin/vmmsim run ${STAGE}/share/vmmsim/examples/resume_exec_fixed.lua
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "installed vmmsim run share/vmmsim/examples/resume_exec_fixed.lua gave ${rc}, not 0")
  endif()
elseif(MODE STREQUAL "find_package")
  set(dir ${WORK}/find_package)
  file(REMOVE_RECURSE ${dir})
  step("configure" ${CMAKE_COMMAND} -S ${STAGE}/share/vmmsim/examples/cxx -B ${dir} -G ${GENERATOR}
       -DCMAKE_PREFIX_PATH=${STAGE} -DCMAKE_CXX_COMPILER=${CXX} ${cxx_flags})
  step("build" ${CMAKE_COMMAND} --build ${dir})
  check_driver(${dir}/serial_driver)
elseif(MODE STREQUAL "pkg_config")
  set(dir ${WORK}/pkg_config)
  file(REMOVE_RECURSE ${dir})
  set(ENV{PKG_CONFIG_PATH} ${STAGE}/${LIBDIR}/pkgconfig)
  step("configure" ${CMAKE_COMMAND} -S ${SOURCE}/examples/cxx -B ${dir} -G ${GENERATOR}
       -DVMMSIM_USE_PKG_CONFIG=ON -DCMAKE_CXX_COMPILER=${CXX} ${cxx_flags})
  step("build" ${CMAKE_COMMAND} --build ${dir})
  check_driver(${dir}/serial_driver)
elseif(MODE STREQUAL "pkg_config_gxx")
  # The README's line, word for word but for the paths.
  set(dir ${WORK}/pkg_config_gxx)
  file(MAKE_DIRECTORY ${dir})
  set(ENV{PKG_CONFIG_PATH} ${STAGE}/${LIBDIR}/pkgconfig)
  step("g++ with pkg-config" sh -c
       "${CXX} -std=c++20 ${SOURCE}/examples/cxx/serial_driver.cpp -o ${dir}/serial_driver $(pkg-config --cflags --libs vmmsim) ${LDFLAGS}")
  check_driver(${dir}/serial_driver)
elseif(MODE STREQUAL "add_subdirectory")
  set(dir ${WORK}/add_subdirectory)
  file(REMOVE_RECURSE ${dir})
  step("configure" ${CMAKE_COMMAND} -S ${SOURCE}/examples/cxx -B ${dir} -G ${GENERATOR}
       -DVMMSIM_SOURCE_DIR=${SOURCE} -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_COMPILER=${CXX})
  step("build" ${CMAKE_COMMAND} --build ${dir})
  check_driver(${dir}/serial_driver)
else()
  message(FATAL_ERROR "consume.cmake: unknown MODE '${MODE}'")
endif()
