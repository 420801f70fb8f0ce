#!/usr/bin/env bash
# Configures and builds liqmap (Release) into ./build: every target, or only those named in
# LIQMAP_TARGETS (the demo builds just the command line: scripts/demo.sh).
#   scripts/build.sh [cmake configure options...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
targets=()
for target in ${LIQMAP_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
