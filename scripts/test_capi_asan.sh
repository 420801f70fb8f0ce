#!/usr/bin/env bash
# The C API's tests (label capi: the API, the installed package, the C example, the Python
# binding) under AddressSanitizer, in their own build folder: builds only what they need.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release -DLIQMAP_ASAN=ON -DLIQMAP_CUDA=OFF \
  -DLIQMAP_BUILD_BENCH=OFF "$@"
cmake --build build-asan -j"$(nproc)" --target liqmap_capi_tests
ctest --test-dir build-asan -L capi --output-on-failure -j"$(nproc)"
