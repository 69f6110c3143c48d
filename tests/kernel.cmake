# vmmsim_core_tests: the kernel's rules (one test per rule of model.md, through the C++ API) and unit
# tests of its pieces (through the private headers), in folders that mirror src/.
add_executable(vmmsim_core_tests
  scheduler/scheduler_test.cpp
  scheduler/boosts_test.cpp
  scheduler/suspend_test.cpp
  scheduler/time_slice_test.cpp
  events/events_test.cpp
  events/restrictions_test.cpp
  events/timeouts_test.cpp
  events/cancel_test.cpp
  events/interrupt_time_test.cpp
  events/event_table_test.cpp
  sync/block_id_test.cpp
  sync/block_id_table_test.cpp
  sync/semaphore_test.cpp
  sync/mutex_test.cpp
  sync/critical_section_test.cpp
  clock/timers_test.cpp
  fiber/stack_pool_test.cpp
  diag/diagnosis_test.cpp
  core/nested_exec_test.cpp
  core/outcomes_test.cpp
  core/determinism_test.cpp
  core/fingerprint_test.cpp
  core/fingerprint_identity_test.cpp
  core/invariants_test.cpp
  core/annotations_test.cpp
  vxd/vxd_test.cpp
  vxd/drivers_test.cpp
  vxd/forms_test.cpp
  vxd/crash_test.cpp
  vxd/all_services_test.cpp
  support/leak_check_main.cpp
)
target_include_directories(vmmsim_core_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/support ${PROJECT_SOURCE_DIR}/src)
# vxd_driver.c, all_services.c: driver logic in C99 against vmmsim/vxd.h, warnings as errors like the C++.
add_library(vmmsim_vxd_c_driver STATIC vxd/vxd_driver.c vxd/all_services.c)
target_link_libraries(vmmsim_vxd_c_driver PRIVATE vmmsim)
set_target_properties(vmmsim_vxd_c_driver PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(vmmsim_vxd_c_driver PRIVATE -Wall -Wextra -Wpedantic -Werror)
target_link_libraries(vmmsim_core_tests PRIVATE vmmsim vmmsim_vxd_c_driver GTest::gtest Boost::context PkgConfig::XXHASH)
vmmsim_warnings(vmmsim_core_tests)
gtest_discover_tests(vmmsim_core_tests)
# stateless_vxd.c: a driver that names no state (explore --reduce refuses it: tests/cli).
add_library(stateless_vxd MODULE vxd/stateless_vxd.c)
target_include_directories(stateless_vxd PRIVATE ${PROJECT_SOURCE_DIR}/include)
set_target_properties(stateless_vxd PROPERTIES PREFIX "lib" LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/vxd
                      C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(stateless_vxd PRIVATE -Wall -Wextra -Wpedantic -Werror)
# vxd/drivers_test.cpp loads examples/vxd/libpause.so: its imports resolve against this program.
set_target_properties(vmmsim_core_tests PROPERTIES ENABLE_EXPORTS ON)
add_dependencies(vmmsim_core_tests pause)
target_compile_definitions(vmmsim_core_tests PRIVATE VMMSIM_PAUSE_SO="${PROJECT_BINARY_DIR}/examples/vxd/libpause.so")
# forms_driver.c in both calling families (vxd/forms_test.cpp compares their logs).
foreach(form ddk vtoolsd)
  add_library(forms_${form} MODULE vxd/forms_driver.c)
  target_include_directories(forms_${form} PRIVATE ${PROJECT_SOURCE_DIR}/include)
  set_target_properties(forms_${form} PROPERTIES PREFIX "lib" LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/vxd
                        C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(forms_${form} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  add_dependencies(vmmsim_core_tests forms_${form})
endforeach()
target_compile_definitions(forms_vtoolsd PRIVATE VMMSIM_VTOOLSD)
target_compile_definitions(vmmsim_core_tests PRIVATE
                           VMMSIM_FORMS_DDK_SO="${PROJECT_BINARY_DIR}/tests/vxd/libforms_ddk.so"
                           VMMSIM_FORMS_VTOOLSD_SO="${PROJECT_BINARY_DIR}/tests/vxd/libforms_vtoolsd.so")
# crash_vxd.c: a driver that dereferences NULL where it is told to (vxd/crash_test.cpp, tests/cli).
add_library(crash_vxd MODULE vxd/crash_vxd.c)
target_include_directories(crash_vxd PRIVATE ${PROJECT_SOURCE_DIR}/include)
set_target_properties(crash_vxd PROPERTIES PREFIX "lib" LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/vxd
                      C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(crash_vxd PRIVATE -Wall -Wextra -Wpedantic -Werror)
# Its NULL dereference must reach the CPU as a real SIGSEGV, as a driver's does: UBSan would stop
# the process at it first in the sanitizer build.
target_compile_options(crash_vxd PRIVATE -fno-sanitize=all)
add_dependencies(vmmsim_core_tests crash_vxd)
target_compile_definitions(vmmsim_core_tests PRIVATE VMMSIM_CRASH_SO="${PROJECT_BINARY_DIR}/tests/vxd/libcrash_vxd.so")
target_compile_definitions(vmmsim_core_tests PRIVATE VMMSIM_ALL_SERVICES_C="${CMAKE_CURRENT_SOURCE_DIR}/vxd/all_services.c")
