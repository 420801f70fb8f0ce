#!/usr/bin/env bash
# The whole test suite once more under AddressSanitizer + UndefinedBehaviorSanitizer (every
# UB finding stops the test), in its own build folder, without CUDA and without the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release -DLIQMAP_ASAN=ON -DLIQMAP_UBSAN=ON \
  -DLIQMAP_CUDA=OFF -DLIQMAP_BUILD_BENCH=OFF "$@"
cmake --build build-asan -j"$(nproc)"
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
