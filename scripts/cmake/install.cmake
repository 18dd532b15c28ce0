# What `cmake --install` puts where, in two components: `xtsync` (the tool, its man page, the
# shell completions and the documents) and `emulator` (xtsync-emulator and its man page).
# `cmake --install build --component xtsync` installs the tool alone; `--strip` strips the
# binaries. Man pages are installed gzipped, as distributions ship them.

set(xtsync_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/xtsync)
set(xtsync_emulator_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/xtsync-emulator)

# gzip -n: no name or time stamp in the archive, so the same page gives the same bytes.
find_program(XTSYNC_GZIP gzip REQUIRED)
set(xtsync_gzipped)
foreach(source man/xtsync.1 man/xtsync-emulator.1 scripts/debian/changelog)
  get_filename_component(name ${source} NAME)
  set(output ${PROJECT_BINARY_DIR}/gz/${name}.gz)
  add_custom_command(OUTPUT ${output}
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/gz
                     COMMAND ${XTSYNC_GZIP} -9nc ${PROJECT_SOURCE_DIR}/${source} > ${output}
                     DEPENDS ${PROJECT_SOURCE_DIR}/${source} VERBATIM)
  list(APPEND xtsync_gzipped ${output})
endforeach()
add_custom_target(xtsync_gzipped_files ALL DEPENDS ${xtsync_gzipped})

install(TARGETS xtsync RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT xtsync)
install(FILES ${PROJECT_BINARY_DIR}/gz/xtsync.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT xtsync)
install(FILES completions/xtsync.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME xtsync COMPONENT xtsync)
install(FILES completions/_xtsync DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions COMPONENT xtsync)
install(FILES completions/xtsync.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d
        COMPONENT xtsync)
install(FILES README.md LICENSE CHANGELOG.md DESTINATION ${xtsync_doc_dir} COMPONENT xtsync)

install(TARGETS xtsync-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT emulator)
install(FILES ${PROJECT_BINARY_DIR}/gz/xtsync-emulator.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT emulator)
install(FILES LICENSE DESTINATION ${xtsync_emulator_doc_dir} COMPONENT emulator)

# What Debian policy wants in every package's doc directory (a machine-readable copyright file and
# the Debian changelog): only the .deb packages carry these (scripts/cmake/package.cmake).
configure_file(scripts/debian/copyright.in ${PROJECT_BINARY_DIR}/debian/copyright @ONLY)
foreach(package xtsync xtsync-emulator)
  set(component xtsync-deb)
  if(package STREQUAL "xtsync-emulator")
    set(component emulator-deb)
  endif()
  install(FILES ${PROJECT_BINARY_DIR}/debian/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
  install(FILES ${PROJECT_BINARY_DIR}/gz/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
          RENAME changelog.gz COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()
