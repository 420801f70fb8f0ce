#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
# Everything once more under ASan + UBSan, then each fuzzer for a bounded time: 8 s each of the
# 9 harnesses, the 70 s that 7 harnesses took at 10 s.
scripts/test_sanitized.sh
# The tests where our threads meet (C API engines, batch --jobs, the server) under TSan.
scripts/test_tsan.sh
scripts/fuzz.sh "${LIQMAP_FUZZ_SECONDS:-8}"
