# ASan+UBSan for the whole build. Fiber switches are announced to ASan in src/fiber/ (SimGrid's habit).
if(VMMSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(VMMSIM_ASAN=1)
endif()
