# Build options. AUTO means: use it when found, say so when not.
set(LIQMAP_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
set_property(CACHE LIQMAP_CUDA PROPERTY STRINGS AUTO ON OFF)
set(LIQMAP_CAIRO AUTO CACHE STRING "Render heatmap.png with Cairo: AUTO, ON or OFF")
set_property(CACHE LIQMAP_CAIRO PROPERTY STRINGS AUTO ON OFF)
set(LIQMAP_LIBZIP AUTO CACHE STRING "Read .zip market archives with libzip: AUTO, ON or OFF")
set_property(CACHE LIQMAP_LIBZIP PROPERTY STRINGS AUTO ON OFF)
set(LIQMAP_ZLIB AUTO CACHE STRING "Read gzip-compressed market files (.csv.gz) with zlib: AUTO, ON or OFF")
set_property(CACHE LIQMAP_ZLIB PROPERTY STRINGS AUTO ON OFF)
set(LIQMAP_HTTPLIB AUTO CACHE STRING "Build `liqmap serve` with cpp-httplib: AUTO, ON or OFF")
set_property(CACHE LIQMAP_HTTPLIB PROPERTY STRINGS AUTO ON OFF)
set(LIQMAP_FEEDS AUTO CACHE STRING "Exchange feeds and fetch (Boost.Beast + cpp-httplib, TLS with OpenSSL): AUTO, ON or OFF")
set_property(CACHE LIQMAP_FEEDS PROPERTY STRINGS AUTO ON OFF)
option(LIQMAP_OMP_DEVICE "Build the device pipeline also for Thrust's OpenMP system" ON)
option(LIQMAP_BUILD_TESTS "Build the tests" ${LIQMAP_TOP_LEVEL})
option(LIQMAP_BUILD_BENCH "Build the benchmarks" ${LIQMAP_TOP_LEVEL})
option(LIQMAP_WERROR "Treat our own code's warnings as errors" ON)
option(LIQMAP_ASAN "Build with AddressSanitizer" OFF)
option(LIQMAP_UBSAN "Build with UndefinedBehaviorSanitizer (every finding stops the program)" OFF)
option(LIQMAP_TSAN "Build with ThreadSanitizer (scripts/test_tsan.sh)" OFF)

if(LIQMAP_ASAN)
  add_compile_options(-fsanitize=address -fno-omit-frame-pointer)
  add_compile_definitions(LIQMAP_ASAN_BUILD)  # tests that measure memory skip (GCC and clang alike)
  # GCC documents that -fsanitize=address causes false -Wmaybe-uninitialized (here inside
  # libstdc++'s <regex>), which -Werror would turn into a failed build.
  add_compile_options($<$<AND:$<COMPILE_LANGUAGE:C,CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-maybe-uninitialized>)
  add_link_options(-fsanitize=address)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
                    OUTPUT_VARIABLE LIQMAP_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
endif()
if(LIQMAP_UBSAN)
  # float-cast-overflow (a double out of an integer's range cast to it) is named: GCC leaves it
  # out of -fsanitize=undefined.
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=undefined,float-cast-overflow>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-sanitize-recover=undefined>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-omit-frame-pointer>)
  add_link_options(-fsanitize=undefined,float-cast-overflow)
endif()
if(LIQMAP_TSAN)
  if(LIQMAP_ASAN)
    message(FATAL_ERROR "LIQMAP_TSAN and LIQMAP_ASAN cannot be combined: build them in separate folders")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(LIQMAP_ASAN AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # clang links its sanitizer runtime statically into executables only: libliqmap.so
  # (-Wl,--no-undefined) and Python need the shared one, and every program must find it.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
                  OUTPUT_VARIABLE LIQMAP_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
  get_filename_component(sanitizer_runtime_dir "${LIQMAP_ASAN_RUNTIME}" DIRECTORY)
  add_link_options(-shared-libsan -Wl,-rpath,${sanitizer_runtime_dir})
endif()
# TSan keeps clang's static runtime in executables: the shared one initialises after other
# libraries' constructors (libX11's, through Cairo) have called malloc, and crashes there.
# libliqmap.so then takes its TSan symbols from the program that loads it (no --no-undefined).
