#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (clang, ASan + UBSan) and runs each for SECONDS
# (default 300), starting from the seed corpus in fuzz/corpus/. Stops at the first finding:
# the crashing input is left in build-fuzz/findings/. scripts/test.sh runs it with 8 s per harness.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_market_csv fuzz_market_and_oi fuzz_zip fuzz_config fuzz_schedule fuzz_timestamp fuzz_npy fuzz_saved_run fuzz_manifest fuzz_gzip)

cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)"

mkdir -p build-fuzz/findings
for harness in "${harnesses[@]}"; do
  # A working copy of the seeds: what the run discovers stays out of the repository.
  corpus=build-fuzz/corpus/$harness
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"$harness"/* "$corpus"/ 2>/dev/null || true
  log=build-fuzz/$harness.log
  # -timeout: one input running over 10 s is a hang; -rss_limit_mb: memory growing is a finding.
  if ! build-fuzz/"$harness" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/findings/"$harness"- >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $harness found a problem; the input is in build-fuzz/findings/" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $harness: $runs executions in ${seconds} s, no finding"
done
