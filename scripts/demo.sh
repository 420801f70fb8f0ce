#!/usr/bin/env bash
# Sets up, builds and runs the demo: the full run on the built-in synthetic market.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
./build/liqmap demo --out demo-out
echo "The map is in demo-out/ (heatmap.png, heatmap.html to zoom and hover in a browser, clusters.json, heatmap.npy, ...)"
