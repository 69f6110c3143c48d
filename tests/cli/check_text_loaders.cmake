# check_text_loaders.cmake: inside a scenario, load, loadfile, dofile and require refuse a
# precompiled chunk with a message naming it, and still load source text (issue 11 item 1).
#   -DVMMSIM=path -DLUAC=path -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/textmod.lua "return { answer = 42 }\n")
execute_process(COMMAND ${LUAC} -o ${WORK}/binmod.lua ${WORK}/textmod.lua RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "luac failed")
endif()
file(WRITE ${WORK}/scenario.lua "
local dir = '${WORK}/'
package.path = dir .. '?.lua'
local f, m = loadfile(dir .. 'binmod.lua')
print('loadfile', f, m)
print('loadfile b', loadfile(dir .. 'textmod.lua', 'b'))
print('loadfile text', loadfile(dir .. 'textmod.lua')().answer)
print('dofile', pcall(dofile, dir .. 'binmod.lua'))
print('dofile text', dofile(dir .. 'textmod.lua').answer)
print('require', pcall(require, 'binmod'))
print('require text', require('textmod').answer)
print('load dump', load(string.dump(function() return 1 end)))
print('load dump named', load(string.dump(function() return 1 end), '=mine', 'bt'))
print('load text', load('return 7')())
print('load reader', load(coroutine.wrap(function() coroutine.yield(string.dump(function() end)) end)))
")
execute_process(COMMAND ${VMMSIM} run ${WORK}/scenario.lua RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(binary "a precompiled Lua chunk (luac or string.dump output); vmmsim loads scenarios and the Lua they load from source text only")
foreach(expect
    "loadfile\tnil\t${WORK}/binmod.lua: ${binary}"
    "loadfile b\tnil\tloadfile: mode 'b' asks for a binary chunk"
    "loadfile text\t42"
    "dofile\tfalse\t${WORK}/binmod.lua: ${binary}"
    "dofile text\t42"
    "require\tfalse\terror loading module 'binmod' from file '${WORK}/binmod.lua':\n\t${WORK}/binmod.lua: ${binary}"
    "require text\t42"
    "load dump\tnil\tthe string given to load: ${binary}"
    "load dump named\tnil\tmine: ${binary}"
    "load text\t7"
    "load reader\tnil\tthe function given to load: ${binary}")
  string(FIND "${out}" "${expect}" at)
  if(at EQUAL -1 OR NOT code EQUAL 0)
    message(FATAL_ERROR "expected \"${expect}\" (exit ${code})\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
endforeach()
