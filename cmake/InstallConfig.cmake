# Install-time half of Packaging.cmake: the config and the unit. Installs each default config file unless the
# destination already holds a copy that differs (the admin's edit, which is kept); the new
# default then goes beside it as FILE.dist. file(INSTALL) adds DESTDIR itself (CPack stages
# through it); the checks of what is there already add it by hand.
foreach(_rel IN LISTS REELFEED_CONFIG_FILES)
  set(_src "${REELFEED_CONFIG_SRC}/${_rel}")
  set(_dst "$ENV{DESTDIR}${REELFEED_CONFIG_DEST}/${_rel}")
  get_filename_component(_dir "${REELFEED_CONFIG_DEST}/${_rel}" DIRECTORY)
  get_filename_component(_name "${_dst}" NAME)
  if(EXISTS "${_dst}")
    file(SHA256 "${_src}" _new)
    file(SHA256 "${_dst}" _old)
    if(NOT _new STREQUAL _old)
      message(STATUS "Kept: ${_dst} (edited); the new default is ${_dst}.dist")
      file(INSTALL "${_src}" DESTINATION "${_dir}" RENAME "${_name}.dist"
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
      continue()
    endif()
  endif()
  file(INSTALL "${_src}" DESTINATION "${_dir}"
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endforeach()

# The unit, with the installed paths (the shipped file names /usr/local/bin and /etc/reelfeed).
file(READ "${REELFEED_UNIT_SRC}" _unit)
string(REPLACE "/usr/local/bin/reelfeed" "${CMAKE_INSTALL_PREFIX}/${REELFEED_BINDIR}/reelfeed"
  _unit "${_unit}")
string(REPLACE "/etc/reelfeed/reelfeed.toml" "${REELFEED_CONFIG_DEST}/reelfeed.toml" _unit
  "${_unit}")
file(WRITE "${REELFEED_UNIT_WORK}/reelfeed.service" "${_unit}")
file(INSTALL "${REELFEED_UNIT_WORK}/reelfeed.service" DESTINATION "${REELFEED_UNIT_DEST}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
