# install.cmake: what `cmake --install` (and `make install PREFIX=...`) puts where, the CMake package
# (find_package(vmmsim) -> vmmsim::vmmsim), vmmsim.pc, and the Debian package (cpack -G DEB).
# Only the core library is installed: the Lua binding and the command line are layers on it that a
# C++ program does not link.
include(CMakePackageConfigHelpers)

set(VMMSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vmmsim)

install(TARGETS vmmsim EXPORT vmmsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS vmmsim_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The whole directory, so a header added later (vxd.h) is installed without touching this file.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vmmsim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT vmmsimTargets NAMESPACE vmmsim:: DESTINATION ${VMMSIM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vmmsimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/vmmsimConfig.cmake
                              INSTALL_DESTINATION ${VMMSIM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vmmsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vmmsimConfig.cmake ${PROJECT_BINARY_DIR}/vmmsimConfigVersion.cmake
        DESTINATION ${VMMSIM_CMAKE_DIR})

# vmmsim.pc is relocatable (prefix from ${pcfiledir}): `cmake --install --prefix` at install time
# and DESTDIR staging both give a file that points at the tree it sits in.
file(RELATIVE_PATH VMMSIM_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" VMMSIM_PC_TO_PREFIX "${VMMSIM_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/vmmsim.pc.in ${PROJECT_BINARY_DIR}/vmmsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vmmsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The man page, the reference documents, the LuaLS stubs and the examples.
install(FILES ${PROJECT_SOURCE_DIR}/docs/vmmsim.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lua/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vmmsim/lua)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vmmsim/examples
        PATTERN "CMakeLists.txt" EXCLUDE)
# examples/cxx/CMakeLists.txt is the standalone project a user copies; only examples/CMakeLists.txt
# (this tree's glue) stays behind.
install(FILES ${PROJECT_SOURCE_DIR}/examples/cxx/CMakeLists.txt
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vmmsim/examples/cxx)

# cpack -G DEB (from the build directory): a .deb of the same install tree.
set(CPACK_PACKAGE_NAME vmmsim)
set(CPACK_PACKAGE_VENDOR vmmsim)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Simulator of the Windows 95 VMM scheduler and event services")
set(CPACK_PACKAGE_INSTALL_DIRECTORY vmmsim)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "vmmsim developers")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The command links Lua, fmt and Boost.Context dynamically; the -dev packages are what a C++
# program linking libvmmsim.a and reading its headers needs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "liblua5.4-0, libfmt-dev, libboost-context-dev, libxxhash-dev, pkg-config")
include(CPack)
