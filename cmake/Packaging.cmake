# Install rules (GNUInstallDirs) and the Debian package (CPack DEB).
#
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DREELFEED_BUILD_TESTS=OFF
#   cmake --build build-release && (cd build-release && cpack -G DEB)
#
# installs: the binary in PREFIX/bin and its manual page (doc/reelfeed.1); the default
# config and rules in /etc/reelfeed without overwriting a copy the admin edited; the
# systemd unit, pointing at both, in /lib/systemd/system. The package installs under /usr whatever CMAKE_INSTALL_PREFIX is.
# The package marks the config files as conffiles (dpkg asks before replacing an edited
# one) and enables the unit with deb-systemd-helper, as dh_installsystemd would.
include(GNUInstallDirs)

# The daemon reads /etc/reelfeed/reelfeed.toml unless told otherwise, and systemd on Debian
# 12 reads units from /lib/systemd/system: both are absolute, whatever the prefix.
set(REELFEED_CONFIG_DIR "/etc/reelfeed" CACHE PATH "Where the config is installed")
set(REELFEED_SYSTEMD_UNITDIR "/lib/systemd/system" CACHE PATH "Where the unit is installed")

install(TARGETS reelfeed RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The config: a file the admin changed stays; the new default goes beside it as FILE.dist.
# The unit as shipped in systemd/, pointing at the installed binary and config (the prefix
# is known only when installing: cpack installs under /usr).
set(_config_files reelfeed.toml)
file(GLOB _topics RELATIVE ${PROJECT_SOURCE_DIR}/config ${PROJECT_SOURCE_DIR}/config/topics/*.toml)
list(APPEND _config_files ${_topics})
install(CODE "
  set(REELFEED_CONFIG_SRC \"${PROJECT_SOURCE_DIR}/config\")
  set(REELFEED_CONFIG_DEST \"${REELFEED_CONFIG_DIR}\")
  set(REELFEED_CONFIG_FILES \"${_config_files}\")
  set(REELFEED_UNIT_SRC \"${PROJECT_SOURCE_DIR}/systemd/reelfeed.service\")
  set(REELFEED_UNIT_DEST \"${REELFEED_SYSTEMD_UNITDIR}\")
  set(REELFEED_UNIT_WORK \"${PROJECT_BINARY_DIR}/packaging\")
  set(REELFEED_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
")
install(SCRIPT ${PROJECT_SOURCE_DIR}/cmake/InstallConfig.cmake)

install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian wants the changelog compressed with gzip -9n (no name, no time: reproducible).
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/packaging)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/cmake/debian/changelog
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/cmake/debian/changelog)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The manual page, compressed the same way.
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/doc/reelfeed.1
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/reelfeed.1.gz COMMAND_ERROR_IS_FATAL ANY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/doc/reelfeed.1)
install(FILES ${PROJECT_BINARY_DIR}/packaging/reelfeed.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# conffiles: every config file, by its installed path.
set(_conffiles "")
foreach(_f ${_config_files})
  string(APPEND _conffiles "${REELFEED_CONFIG_DIR}/${_f}\n")
endforeach()
file(WRITE ${PROJECT_BINARY_DIR}/packaging/conffiles "${_conffiles}")

set(CPACK_PACKAGE_NAME reelfeed)
set(CPACK_PACKAGE_VENDOR "the reelfeed developers")
set(CPACK_PACKAGE_CONTACT "reelfeed developers <reelfeed-devel@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "news feed aggregator that republishes filtered stories")
set(CPACK_PACKAGE_DESCRIPTION
  "reelfeed polls news feeds (RSS, Atom, JSON Feed) politely, folds duplicate\n\
stories told by several outlets into one, scores them against topic rules\n\
that can be read and edited, and republishes the result as Atom, RSS and\n\
JSON Feed, with a page of the stories for people. The default rules select\n\
stories about AI in Hollywood.")
# A Debian package installs under /usr, whatever this build's own prefix; staged through
# DESTDIR because /etc and /lib/systemd/system are absolute destinations.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/reelfeed/reelfeed")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_BINARY_DIR}/packaging/conffiles
  ${PROJECT_SOURCE_DIR}/cmake/debian/postinst
  ${PROJECT_SOURCE_DIR}/cmake/debian/prerm
  ${PROJECT_SOURCE_DIR}/cmake/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debian's binaries are stripped (the debug info goes in a -dbgsym package we do not make).
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
