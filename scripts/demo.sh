#!/usr/bin/env bash
# Sets up, builds the command line and runs the demo: the full run on the built-in synthetic market.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
LIQMAP_TARGETS=liqmap_cli scripts/build.sh  # the command line only: the tests build with scripts/test.sh
./build/liqmap demo --out demo-out
echo "The map is in demo-out/ (heatmap.png, heatmap.html to zoom and hover in a browser, clusters.json, heatmap.npy, ...)"
