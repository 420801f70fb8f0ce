#!/usr/bin/env bash
# The tests where our own threads meet, under ThreadSanitizer: engines of the C API on two
# threads, `batch --jobs` (jobs on threads, each with its own engine), and the server (its
# listener, poller and the appends it takes). clang with LLVM's OpenMP runtime, whose Archer
# tool tells TSan about OpenMP's own synchronisation (GCC's libgomp would be all false reports).
# Only the targets those tests need are built, in build-tsan.
set -euo pipefail
cd "$(dirname "$0")/.."
archer=$(clang++ -print-file-name=libarcher.so)
[ -f "$archer" ] || archer=$(ls /usr/lib/llvm-*/lib/libarcher.so 2>/dev/null | head -n 1)
[ -f "$archer" ] || { echo "test_tsan: LLVM's libarcher.so (package libomp-dev) is missing" >&2; exit 1; }

CC=clang CXX=clang++ cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DLIQMAP_TSAN=ON -DLIQMAP_CUDA=OFF \
  -DLIQMAP_BUILD_BENCH=OFF "$@" >/dev/null
cmake --build build-tsan -j"$(nproc)" --target liqmap_cli test_c_api test_cli_batch test_serve
# halt_on_error: a race is a failed test, in the test itself and in the CLI it starts.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
export OMP_TOOL_LIBRARIES=$archer
ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" \
  -R '^(CApiThreads\.|BatchTest\.|ServeLive\.|ServeTest\.)'
