#!/usr/bin/env bash
# Installs the Debian packages liqmap builds and tests with (run as root, or with sudo).
# nvcc comes from the CUDA toolkit at /usr/local/cuda when present; without it the CUDA backend
# is left out and everything else builds. clang builds the fuzzers and the sanitizer builds.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  librandom123-dev nlohmann-json3-dev libcli11-dev
  libcairo2-dev libpng-dev libzip-dev zlib1g-dev
  libboost-dev libcpp-httplib-dev libssl-dev  # exchange feeds and fetch (host/feeds; optional)
  python3 python3-numpy python3-scipy
  python3-venv python3-pip python3-setuptools python3-wheel  # pip install ./python (offline)
  python3-pandas python3-xarray python3-matplotlib python3-dask python3-distributed
  clang libclang-rt-14-dev libomp-dev  # the fuzzers; the sanitizer builds (OpenMP, Archer)
  chromium  # the browser test of heatmap.html (ctest -L browser)
  libcpp-httplib-dev  # liqmap serve (optional: without it serve says it was built without the server)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
