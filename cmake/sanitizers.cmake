# ASan+UBSan for the whole build. Fiber switches are announced to ASan in src/fiber/ (SimGrid's habit).
if(VMMSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(VMMSIM_ASAN=1)
endif()

# The fuzz build (make fuzz): clang, every library with ASan + UBSan and libFuzzer's coverage, the
# invariant walks on (VMMSIM_ASSERTIONS); fuzz/CMakeLists.txt links the targets with -fsanitize=fuzzer.
if(VMMSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VMMSIM_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++")
  endif()
  add_compile_options(-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(VMMSIM_ASAN=1)
endif()

# ThreadSanitizer (make test-tsan): the explorer's worker threads (explore --jobs N), each running
# scenarios on fibers, which src/fiber/ announces to TSan.
if(VMMSIM_TSAN)
  if(VMMSIM_SANITIZE)
    message(FATAL_ERROR "VMMSIM_TSAN and VMMSIM_SANITIZE cannot be combined (TSan and ASan exclude each other)")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  add_compile_definitions(VMMSIM_TSAN=1)
endif()
