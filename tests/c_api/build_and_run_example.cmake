# cmake -DMODE=pkgconfig|find_package|find_package_static -DPREFIX=... -DWORK=... -DSOURCE=...
#       -DC_COMPILER=... -DCXX_COMPILER=... -DLIBDIR=... [-DSANITIZE=-fsanitize=address]
#       [-DSANITIZE_LINK=more|link|flags] -P build_and_run_example.cmake
# Builds examples/c against the installed liqmap in PREFIX, the way a user would, and runs it.
# SANITIZE_LINK's flags are separated by '|': a CMake list would not survive add_test's command line.
string(REPLACE "|" ";" SANITIZE_LINK "${SANITIZE_LINK}")
string(REPLACE ";" " " sanitize_link_flags "${SANITIZE} ${SANITIZE_LINK}")
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_checked)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "pkgconfig")
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
  execute_process(COMMAND pkg-config --cflags --libs liqmap OUTPUT_VARIABLE flags
                  RESULT_VARIABLE result OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config does not find liqmap in ${PREFIX}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(program ${WORK}/make_map)
  run_checked(${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror ${SANITIZE} ${SANITIZE_LINK}
              ${SOURCE}/make_map.c ${flags} -lm -Wl,-rpath,${PREFIX}/${LIBDIR} -o ${program})
else()
  set(static OFF)
  if(MODE STREQUAL "find_package_static")
    set(static ON)
  endif()
  run_checked(${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK} -DCMAKE_PREFIX_PATH=${PREFIX}
              -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
              -DLIQMAP_EXAMPLE_STATIC=${static} "-DCMAKE_C_FLAGS=${SANITIZE}" "-DCMAKE_CXX_FLAGS=${SANITIZE}"
              "-DCMAKE_EXE_LINKER_FLAGS=${sanitize_link_flags}")
  run_checked(${CMAKE_COMMAND} --build ${WORK})
  set(program ${WORK}/make_map)
endif()

run_checked(${program})
foreach(expected "liqmap ${VERSION}" "top clusters" "bias")
  string(FIND "${last_output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the example's output lacks \"${expected}\"")
  endif()
endforeach()
