# One warnings function shared by every target (marl's habit).
function(vmmsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wcast-align -Wunused -Woverloaded-virtual
                         -Wimplicit-fallthrough)
  # No -Wnull-dereference: with g++ 12 at -O2 it reports false positives inside libstdc++'s std::string.
  if(VMMSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
