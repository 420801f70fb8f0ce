# cmake --install: the C API's headers and libraries, a CMake package (find_package(liqmap)
# gives liqmap::liqmap, and liqmap::liqmap_static with COMPONENTS static), liqmap.pc, the CLI
# and the Python binding.
include(CMakePackageConfigHelpers)

set(LIQMAP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/liqmap)
set(LIQMAP_INSTALL_PYTHONDIR ${CMAKE_INSTALL_LIBDIR}/python3/dist-packages CACHE STRING
    "Where the Python package goes, relative to the prefix")

install(FILES ${PROJECT_SOURCE_DIR}/include/liqmap/liqmap.h
              ${PROJECT_BINARY_DIR}/include/liqmap/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/liqmap)
install(TARGETS liqmap_shared EXPORT liqmapTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS liqmap_static EXPORT liqmapStaticTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT liqmapTargets NAMESPACE liqmap:: DESTINATION ${LIQMAP_INSTALL_CMAKEDIR})
install(EXPORT liqmapStaticTargets NAMESPACE liqmap:: DESTINATION ${LIQMAP_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/liqmapConfig.cmake.in
  ${PROJECT_BINARY_DIR}/liqmapConfig.cmake INSTALL_DESTINATION ${LIQMAP_INSTALL_CMAKEDIR})
# Before 1.0 a minor release may change the ABI, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/liqmapConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/liqmapConfig.cmake ${PROJECT_BINARY_DIR}/liqmapConfigVersion.cmake
        DESTINATION ${LIQMAP_INSTALL_CMAKEDIR})

# liqmap.pc finds the prefix from its own place, so an installed tree can be moved.
file(RELATIVE_PATH LIQMAP_PC_PREFIX_FROM_PCFILEDIR
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/liqmap.pc.in ${PROJECT_BINARY_DIR}/liqmap.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/liqmap.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS liqmap_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/liqmap DESTINATION ${LIQMAP_INSTALL_PYTHONDIR}
        PATTERN __pycache__ EXCLUDE)
