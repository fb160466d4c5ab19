# What `cmake --install` puts under the prefix (GNUInstallDirs):
#   bin/digestpdf
#   lib/<multiarch>/libdigestpdf.so.0 (+ .so link), libdigestpdf.a
#   lib/<multiarch>/pkgconfig/digestpdf.pc
#   lib/<multiarch>/cmake/digestpdf/ (find_package(digestpdf): digestpdf::digestpdf)
#   include/digestpdf.h
#   share/digestpdf/styles/*.style   (the program finds them from bin/)
#   share/man/man1/digestpdf.1, man5/digestpdf-style.5, man5/digest-xml.5
#   share/bash-completion/completions/digestpdf
include(CMakePackageConfigHelpers)

# digestpdf-style(5) is written from styles/default.style, which documents
# every key, so the page cannot drift from the style.
find_program(DP_AWK NAMES awk mawk gawk REQUIRED)
set(DP_STYLE_MAN ${PROJECT_BINARY_DIR}/doc/digestpdf-style.5)
add_custom_command(OUTPUT ${DP_STYLE_MAN}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/doc
  COMMAND ${DP_AWK} -v version=${PROJECT_VERSION} -f ${PROJECT_SOURCE_DIR}/doc/style-man.awk
          ${PROJECT_SOURCE_DIR}/styles/default.style > ${DP_STYLE_MAN}
  DEPENDS ${PROJECT_SOURCE_DIR}/doc/style-man.awk ${PROJECT_SOURCE_DIR}/styles/default.style
  VERBATIM)
add_custom_target(digestpdf_man ALL DEPENDS ${DP_STYLE_MAN})

# The example client, built against the shared library as a user would
# (only the exported API is reachable from it).
add_executable(example_minimal ${PROJECT_SOURCE_DIR}/examples/minimal.c)
target_link_libraries(example_minimal PRIVATE digestpdf::digestpdf)
set_target_properties(example_minimal PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

install(TARGETS digestpdf RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS digestpdf_shared EXPORT digestpdfTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS digestpdf_static ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/digestpdf.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(DP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/digestpdf)
install(EXPORT digestpdfTargets NAMESPACE digestpdf:: DESTINATION ${DP_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/digestpdfConfig.cmake.in
  ${PROJECT_BINARY_DIR}/digestpdfConfig.cmake INSTALL_DESTINATION ${DP_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/digestpdfConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/digestpdfConfig.cmake
              ${PROJECT_BINARY_DIR}/digestpdfConfigVersion.cmake
        DESTINATION ${DP_CMAKE_DIR})

# pkg-config: the shared library by default; `--static` lists what
# libdigestpdf.a needs (libharu has no .pc file of its own).
# The prefix is found from the .pc file's own place, so an installed tree
# can be moved (or installed with --prefix) and still be right.
file(RELATIVE_PATH DP_PC_UP /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" DP_PC_UP "${DP_PC_UP}")
set(DP_PC_PREFIX "\${pcfiledir}/${DP_PC_UP}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/digestpdf.pc.in
               ${PROJECT_BINARY_DIR}/digestpdf.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/digestpdf.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

file(GLOB DP_INSTALL_STYLES ${PROJECT_SOURCE_DIR}/styles/*.style)
install(FILES ${DP_INSTALL_STYLES} DESTINATION ${CMAKE_INSTALL_DATADIR}/digestpdf/styles)
install(FILES ${PROJECT_SOURCE_DIR}/doc/digestpdf.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${DP_STYLE_MAN} ${PROJECT_SOURCE_DIR}/doc/digest-xml.5
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${PROJECT_SOURCE_DIR}/doc/digestpdf.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME digestpdf)
