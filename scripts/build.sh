#!/usr/bin/env bash
# Configures and builds liqmap (Release) into ./build: every target, or only those named in
# LIQMAP_TARGETS (the demo builds just the command line: scripts/demo.sh).
#   scripts/build.sh [cmake configure options...]
set -euo pipefail
cd "$(dirname "$0")/.."
# A unity build (8 sources a compiler run) parses the large headers (CLI11, nlohmann/json) once
# per batch: the command line builds in about half the compiler time on a fresh machine.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 "$@"
targets=()
for target in ${LIQMAP_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
