#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
# Everything once more under ASan + UBSan, then each fuzzer for a bounded time.
scripts/test_sanitized.sh
scripts/fuzz.sh "${LIQMAP_FUZZ_SECONDS:-10}"
