# cmake -DBUILD_DIR=... -DPREFIX=... -P install_into_prefix.cmake
# A fresh `cmake --install` of the build into PREFIX, for the tests that use the installed tree.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed: ${result}")
endif()
foreach(expected include/liqmap/liqmap.h include/liqmap/version.h ${LIBDIR}/pkgconfig/liqmap.pc
                 ${LIBDIR}/cmake/liqmap/liqmapConfig.cmake ${LIBDIR}/libliqmap.a
                 ${LIBDIR}/libliqmap.so.${ABI_VERSION})
  if(NOT EXISTS ${PREFIX}/${expected})
    message(FATAL_ERROR "the install lacks ${expected}")
  endif()
endforeach()
