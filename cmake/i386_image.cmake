# vmmsim_i386_image(NAME SOURCE OUTDIR FLAGS...): OUTDIR/NAME.elf, an i386 VxD image built from
# SOURCE with the C compiler in 32-bit mode (gcc -m32, Debian's gcc-multilib), freestanding, in the
# forms GCC-built VxDs take (issue 20). The images' list is appended to VMMSIM_I386_IMAGES.
function(vmmsim_i386_image name source outdir)
  set(out ${outdir}/${name}.elf)
  get_filename_component(src ${source} ABSOLUTE)
  get_filename_component(srcdir ${src} DIRECTORY)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_C_COMPILER} -m32 -O1 -ffreestanding -nostdlib -fno-stack-protector -Wall -Wextra -Werror
            ${ARGN} -o ${out} ${src}
    DEPENDS ${src} ${PROJECT_SOURCE_DIR}/tests/emu/vmm_i386.h
    COMMENT "i386 image ${name}.elf" VERBATIM)
  set(VMMSIM_I386_IMAGES ${VMMSIM_I386_IMAGES} ${out} PARENT_SCOPE)
endfunction()
