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

if(LIQMAP_ASAN)
  add_compile_options(-fsanitize=address -fno-omit-frame-pointer)
  # GCC documents that -fsanitize=address causes false -Wmaybe-uninitialized (here inside
  # libstdc++'s <regex>), which -Werror would turn into a failed build.
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-Wno-maybe-uninitialized>)
  add_link_options(-fsanitize=address)
endif()
if(LIQMAP_UBSAN)
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=undefined>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-sanitize-recover=undefined>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-omit-frame-pointer>)
  add_link_options(-fsanitize=undefined)
endif()
