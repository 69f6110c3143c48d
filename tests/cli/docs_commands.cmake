# docs_commands.cmake: makes a work directory where `build/vmmsim` and `examples/` are what the
# documents name (links to this build's vmmsim and the source examples), then runs
# docs_commands.lua over the documents that hold command transcripts.
#   -DVMMSIM=path -DLUA=lua5.4 -DSOURCE=project dir -DWORK=scratch dir
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/build)
get_filename_component(bin_dir ${VMMSIM} DIRECTORY)
file(CREATE_LINK ${VMMSIM} ${WORK}/build/vmmsim SYMBOLIC)
file(CREATE_LINK ${bin_dir}/examples ${WORK}/build/examples SYMBOLIC)
file(CREATE_LINK ${SOURCE}/examples ${WORK}/examples SYMBOLIC)
execute_process(COMMAND ${LUA} ${SOURCE}/tests/cli/docs_commands.lua ${WORK} ${SOURCE}/README.md ${SOURCE}/docs/explorer.md
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "${err}")
endif()
