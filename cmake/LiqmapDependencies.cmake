# Third-party libraries, all from Debian packages (see README: the apt-get line).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)

find_path(RANDOM123_INCLUDE_DIR Random123/philox.h)
if(NOT RANDOM123_INCLUDE_DIR)
  message(FATAL_ERROR "Random123 not found: install librandom123-dev")
endif()
add_library(liqmap_random123 INTERFACE)
target_include_directories(liqmap_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

find_package(PkgConfig QUIET)

set(LIQMAP_HAVE_CAIRO OFF)
if(NOT LIQMAP_CAIRO STREQUAL "OFF" AND PkgConfig_FOUND)
  pkg_check_modules(CAIRO IMPORTED_TARGET cairo)
  if(CAIRO_FOUND)
    set(LIQMAP_HAVE_CAIRO ON)
  endif()
endif()
if(LIQMAP_CAIRO STREQUAL "ON" AND NOT LIQMAP_HAVE_CAIRO)
  message(FATAL_ERROR "LIQMAP_CAIRO=ON but Cairo was not found: install libcairo2-dev")
endif()
message(STATUS "liqmap: heatmap.png with Cairo: ${LIQMAP_HAVE_CAIRO}"
               "$<$<NOT:$<BOOL:${LIQMAP_HAVE_CAIRO}>>: (no picture; install libcairo2-dev)>")

set(LIQMAP_HAVE_LIBZIP OFF)
if(NOT LIQMAP_LIBZIP STREQUAL "OFF")
  find_package(libzip QUIET)
  if(libzip_FOUND)
    set(LIQMAP_HAVE_LIBZIP ON)
  endif()
endif()
if(LIQMAP_LIBZIP STREQUAL "ON" AND NOT LIQMAP_HAVE_LIBZIP)
  message(FATAL_ERROR "LIQMAP_LIBZIP=ON but libzip was not found: install libzip-dev")
endif()
message(STATUS "liqmap: .zip archives with libzip: ${LIQMAP_HAVE_LIBZIP}")

# Thrust/CUB/libcu++ headers for the OpenMP build of the device pipeline.
find_path(LIQMAP_CCCL_INCLUDE_DIR thrust/version.h
  HINTS /usr/local/cuda/include/cccl /usr/local/cuda/include ${CUDAToolkit_INCLUDE_DIRS})
if(LIQMAP_OMP_DEVICE AND NOT LIQMAP_CCCL_INCLUDE_DIR)
  message(WARNING "Thrust headers not found: the OpenMP build of the device pipeline is off")
  set(LIQMAP_OMP_DEVICE OFF)
endif()
