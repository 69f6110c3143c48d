# One warnings function shared by every target (marl's habit).
function(vmmsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
                         -Wimplicit-fallthrough)
  if(VMMSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
