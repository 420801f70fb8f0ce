#!/usr/bin/env bash
# The GPU check of issue 13, in one call on a GPU machine (H100/H200, sm_90; README, "The GPU
# check"): configure and build with CUDA, `liqmap info`, `ctest -L gpu`, compute-sanitizer on a
# small job, CUDA against CPU on the demo and the real BTC data, the device's copy bandwidth, the
# benchmark (`liqmap bench`, `bench_pipeline`) and an ncu/nsys summary where those tools exist.
# Every step is time-boxed and the whole stays within a budget; a failed step is reported and the
# others still run. Writes report.md, bench.txt and logs.tar.gz into the folder given, else $OUT,
# else out-gpu-check/. Exit status: 0 when every step passed, 1 when one failed (the speed targets
# are reported as met or missed, and do not fail the check), 2 on bad usage.
set -uo pipefail

usage() {
  cat <<'EOF'
usage: scripts/gpu-check.sh [--only STEPS] [--budget SECONDS] [--dry-run | --self-test] [OUTDIR]
  OUTDIR           where report.md, bench.txt and logs.tar.gz go (default: $OUT, else out-gpu-check)
  --only STEPS     comma-separated subset of: tests,compare,sanitize,bandwidth,bench,pipeline,large,profile
                   (configure, build and info always run; the build is incremental)
  --budget S       seconds for the whole check (default $GPU_CHECK_BUDGET_S, else 450)
  --dry-run        print the plan (tools, data, steps) and run nothing
  --self-test      check the readers of the benchmarks' output on samples, and run nothing else
environment: GPU_CHECK_BUILD (build folder, default build-gpu), LIQMAP_BTC_DATA (folder of the BTC
  CSV files), GPU_CHECK_POSITIONS (default "1e6 1e7 1e8"), GPU_CHECK_COMMIT (when .git is absent)
EOF
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
DRY_RUN=0 SELF_TEST=0 ONLY="" OUT_DIR=""
BUDGET=${GPU_CHECK_BUDGET_S:-450}
while [ $# -gt 0 ]; do
  case $1 in
    --dry-run) DRY_RUN=1 ;;
    --self-test) SELF_TEST=1 ;;
    --only) ONLY=${2:?--only needs a list}; shift ;;
    --budget) BUDGET=${2:?--budget needs seconds}; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "gpu-check: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) OUT_DIR=$1 ;;
  esac
  shift
done
case $BUDGET in '' | *[!0-9]*) echo "gpu-check: --budget '$BUDGET' is not a whole number of seconds" >&2; exit 2 ;; esac
for s in ${ONLY//,/ }; do
  case $s in tests | compare | sanitize | bandwidth | bench | pipeline | large | profile) ;;
    *) echo "gpu-check: --only: unknown step '$s'" >&2; usage >&2; exit 2 ;; esac
done
OUT_DIR=${OUT_DIR:-${OUT:-$ROOT/out-gpu-check}}
BUILD=${GPU_CHECK_BUILD:-$ROOT/build-gpu}
WORK=$BUILD/gpu-check  # run outputs and every step's log
LOGS=$WORK/logs
POSITIONS=${GPU_CHECK_POSITIONS:-1e6 1e7 1e8}
LIQMAP=$BUILD/liqmap
START=$(date +%s)
JOBS=$(nproc 2>/dev/null || echo 2)

# ---- the record: one line per step, figures as key/value, report.md rewritten after each step
RESULTS=$WORK/results.tsv FIGURES=$WORK/figures.tsv
elapsed() { echo $(($(date +%s) - START)); }
figure() { printf '%s\t%s\n' "$1" "$2" >>"$FIGURES"; }
figure_of() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$FIGURES" 2>/dev/null; }
record() {  # NAME KIND STATUS SECONDS NOTE
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(printf '%s' "$5" | tr '\t\n' '  ' | cut -c1-300)" >>"$RESULTS"
  printf 'gpu-check: %-26s %-4s %-5s %4ss  %s\n' "$1" "$2" "$3" "$4" "$5" >&2
}
status_of() { awk -F'\t' -v n="$1" '$1 == n { s = $3 } END { print s }' "$RESULTS"; }
selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
last_line() {  # LOG: its last line that names an error, else its last line
  local line
  line=$(grep -iE 'error|fail|not found|skipped|refused|abort' "$1" 2>/dev/null | tail -1)
  [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -1)
  printf '%s' "$line" | cut -c1-240
}

# run_step NAME KIND LIMIT CMD...: runs CMD with a time box (its limit, or what is left of the
# budget), its output in $LOGS/NAME.log; records ok or FAIL with the reason. Returns CMD's status.
run_step() {
  local name=$1 kind=$2 limit=$3
  shift 3
  local left=$((BUDGET - $(elapsed)))
  if [ "$left" -lt 15 ]; then
    record "$name" "$kind" skip 0 "not run: the budget of ${BUDGET}s is spent"
    return 125
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  local t0 rc bad=FAIL
  [ "$kind" = diag ] && bad=warn  # diagnostics (profiles) never fail the check
  t0=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" >"$LOGS/$name.log" 2>&1
  rc=$?
  local took=$(($(date +%s) - t0))
  if [ "$rc" -eq 0 ]; then
    record "$name" "$kind" ok "$took" ""
  elif [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ "$took" -ge "$limit" ]; }; then
    record "$name" "$kind" "$bad" "$took" "timed out after ${limit}s"
  elif [ "$rc" -gt 128 ]; then
    record "$name" "$kind" "$bad" "$took" "killed by signal $((rc - 128))$([ "$rc" -eq 137 ] && echo ' (out of host memory?)'): $(last_line "$LOGS/$name.log")"
  else
    record "$name" "$kind" "$bad" "$took" "exit $rc: $(last_line "$LOGS/$name.log")"
  fi
  write_report
  return "$rc"
}
# A step judged after it ran (e.g. ctest passed but skipped every test): change its verdict.
fail_step() {  # NAME NOTE
  awk -F'\t' -v OFS='\t' -v n="$1" -v note="$2" '$1 == n { $3 = "FAIL"; $5 = note } { print }' "$RESULTS" >"$RESULTS.new" &&
    mv "$RESULTS.new" "$RESULTS"
  echo "gpu-check: $1 FAIL: $2" >&2
}
not_run() { record "$1" "$2" FAIL 0 "not run: $3"; }  # a step that cannot run is a failed step

# ---- tools and data
find_btc_data() {
  local d
  for d in "${LIQMAP_BTC_DATA:-}" "$ROOT/shared/data/btc" "$ROOT/../shared/data/btc" "$ROOT/.deps/btc" /work/shared/data/btc; do
    if [ -n "$d" ] && [ -f "$d/btcusdt_1h_5year.csv" ] && [ -f "$d/btcusdt_4h_6year.csv" ] && [ -f "$d/coinglass_oi_4h.csv" ]; then
      (cd "$d" && pwd)
      return 0
    fi
  done
  return 1
}
find_tool() {  # NAME [extra places]: the first executable found
  local name=$1 p f
  shift
  command -v "$name" 2>/dev/null && return 0
  for p in "$@"; do
    for f in $p; do [ -x "$f" ] && { echo "$f"; return 0; }; done
  done
  return 1
}
NVCC=$(find_tool nvcc /usr/local/cuda/bin/nvcc) || NVCC=""
SANITIZER=$(find_tool compute-sanitizer /usr/local/cuda/bin/compute-sanitizer \
  '/usr/local/cuda/compute-sanitizer/compute-sanitizer' '/opt/nvidia/compute-sanitizer*/compute-sanitizer') || SANITIZER=""
NCU=$(find_tool ncu /usr/local/cuda/bin/ncu '/opt/nvidia/nsight-compute/*/ncu') || NCU=""
NSYS=$(find_tool nsys /usr/local/cuda/bin/nsys) || NSYS=""
GENERATOR="Unix Makefiles"
command -v ninja >/dev/null 2>&1 && GENERATOR=Ninja
BTC=$(find_btc_data) || BTC=""
DEPS_PREFIX=""
[ -d "$ROOT/.deps/root/usr" ] && DEPS_PREFIX=$ROOT/.deps/root/usr
COMMIT=${GPU_CHECK_COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
# Given from outside (the device tool's copy carries a .git that does not match its files), it is taken as is.
if [ -z "${GPU_CHECK_COMMIT:-}" ] && git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 &&
  [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  COMMIT="$COMMIT + uncommitted changes"
fi

# ---- reading the benchmarks' output (checked by --self-test, since only a GPU produces it)
bench_field() {  # LOG BACKEND COLUMN: a value of `liqmap bench`'s table, by the header's names
  awk -v b="$2" -v c="$3" '$1 == "backend" { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == b && $2 != "skipped:" && (c in col) { v = $(col[c]) } END { if (v != "") print v }' "$1" 2>/dev/null
}
calc() { awk "BEGIN { v = $1; if (v == v + 0) printf \"%.4g\", v }" 2>/dev/null; }
verdict() {  # VALUE ge|lt NEED
  awk -v v="$1" -v op="$2" -v n="$3" 'BEGIN {
    if (v == "") { print "not measured"; exit }
    if (op == "ge") { if (v + 0 >= n + 0) print "met"; else printf "MISSED: %.2f of the target (%.1fx short)\n", v / n, n / v }
    else { if (v + 0 < n + 0) print "met"; else printf "MISSED: %.1fx the limit\n", v / n } }'
}
slowest_stage() {  # LOG: the stage that took longest in the cuda row
  awk '$1 == "backend" { for (i = 5; i <= NF - 2; i++) name[i] = $i; next }
    $1 == "cuda" && $2 != "skipped:" { for (i in name) if ($i != "-" && $i + 0 > best) { best = $i + 0; which = name[i] } }
    END { if (which != "") printf "; slowest stage: %s %.4g s", which, best }' "$1" 2>/dev/null
}
pipeline_field() {  # CSV POSITIONS COUNTER: a counter of bench_pipeline's cuda job on 2,048 x 10,080
  [ -s "$1" ] || return 0
  awk -v want="$(printf '%.0f' "$2")" -v key="$3" '
    function split_csv(line, out,   n, i, c, q, f) {
      n = 0; f = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\"") q = !q; else if (c == "," && !q) { out[++n] = f; f = "" } else f = f c
      }
      out[++n] = f
      return n
    }
    /^name,/ { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
    { split_csv($0, f)
      if (f[1] ~ ("^pipeline/cuda/positions:" want "/bins:2048/steps:10080/") && (key in col) && f[col["error_occurred"]] != "true")
        v = f[col[key]] }
    END { if (v != "") print v }' "$1"
}
if [ "$SELF_TEST" = 1 ]; then
  sample=$(mktemp -d)
  cat >"$sample/bench.log" <<'SAMPLE'
job: 1e+08 positions requested, 2048 price bins x 10080 steps (synthetic market, default config)

backend     positions   bins    steps     tables     upload    scatter recurrence   smooth_p   smooth_t   download      total  positions/s
cuda            1e+08   2048    10080     0.1000     0.0040     0.0125     0.0008     0.0006          -     0.0030     0.1209    8.271e+08
cpu         skipped: cpu: not in this build, for the test
SAMPLE
  cat >"$sample/pipeline.csv" <<'SAMPLE'
name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,label,error_occurred,error_message,"positions","smooth_price_GBps","survival_recurrence_GBps"
"pipeline/cuda/positions:1000000/bins:2048/steps:10080/iterations:1/manual_time",,,,,,,,true,"cuda: no device, none at all"
"pipeline/cuda/positions:100000000/bins:2048/steps:10080/iterations:1/manual_time",1,20.5,20.1,ms,,,,,,1.00638e+08,2811,2400.5
SAMPLE
  bad=0
  expect() {  # WHAT GOT WANTED
    if [ "$2" = "$3" ]; then echo "ok    $1"; else echo "FAIL  $1: got '$2', expected '$3'"; bad=1; fi
  }
  expect "bench total" "$(bench_field "$sample/bench.log" cuda total)" 0.1209
  expect "bench scatter" "$(bench_field "$sample/bench.log" cuda scatter)" 0.0125
  expect "bench skipped row" "$(bench_field "$sample/bench.log" cpu total)" ""
  expect "bench unknown column" "$(bench_field "$sample/bench.log" cuda nonesuch)" ""
  expect "pipeline counter" "$(pipeline_field "$sample/pipeline.csv" 1e8 smooth_price_GBps)" 2811
  expect "pipeline last counter" "$(pipeline_field "$sample/pipeline.csv" 1e8 survival_recurrence_GBps)" 2400.5
  expect "pipeline job in error" "$(pipeline_field "$sample/pipeline.csv" 1e6 survival_recurrence_GBps)" ""
  expect "calc" "$(calc "1e8 / 0.0125")" 8e+09
  expect "met" "$(verdict 8e+09 ge 3e9)" met
  expect "missed, at least" "$(verdict 1.5e9 ge 3e9)" "MISSED: 0.50 of the target (2.0x short)"
  expect "missed, under" "$(verdict 30 lt 25)" "MISSED: 1.2x the limit"
  expect "not measured" "$(verdict "" ge 1)" "not measured"
  expect "slowest stage" "$(slowest_stage "$sample/bench.log")" "; slowest stage: tables 0.1 s"
  rm -rf "$sample"
  exit "$bad"
fi

if [ "$DRY_RUN" = 1 ]; then
  echo "gpu-check plan (nothing run):"
  echo "  out: $OUT_DIR   build: $BUILD ($GENERATOR, $JOBS jobs)   budget: ${BUDGET}s   commit: $COMMIT"
  echo "  nvcc: ${NVCC:-MISSING}   compute-sanitizer: ${SANITIZER:-missing}   ncu: ${NCU:-missing}   nsys: ${NSYS:-missing}"
  echo "  dependencies prefix: ${DEPS_PREFIX:-none (no .deps/root/usr: the packages installed here)}"
  echo "  BTC data: ${BTC:-NOT FOUND (set LIQMAP_BTC_DATA, or copy ../shared/data/btc to .deps/btc and carry .deps)}"
  echo "  steps: configure build info${ONLY:+ (then only: $ONLY)}"
  [ -z "$ONLY" ] && echo "         tests compare sanitize bandwidth bench pipeline large profile"
  echo "  positions: $POSITIONS on 2,048 x 10,080 and 16,384 x 100,000"
  [ -n "$NVCC" ] || exit 1
  exit 0
fi

rm -rf "$WORK" && mkdir -p "$LOGS" "$OUT_DIR" || { echo "gpu-check: cannot create $WORK or $OUT_DIR" >&2; exit 2; }
: >"$RESULTS"
: >"$FIGURES"
# ---- report.md: rewritten after every step, so a check stopped from outside still leaves one
FINAL=0
write_report() {
  local f=$WORK/report.md failed unfinished name
  failed=$(awk -F'\t' '$3 == "FAIL" { printf "%s%s", sep, $1; sep = ", " }' "$RESULTS")
  unfinished=$(awk -F'\t' '$3 == "skip" && $2 != "diag" { printf "%s%s", sep, $1; sep = ", " }' "$RESULTS")
  {
    echo "# GPU check, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- commit: $COMMIT"
    echo "- device: $(figure_of device)"
    echo "- host: $JOBS cores ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- nvcc: $([ -n "$NVCC" ] && "$NVCC" --version | tail -1 || echo missing); compute-sanitizer: ${SANITIZER:-missing}; ncu: ${NCU:-missing}; nsys: ${NSYS:-missing}"
    echo "- BTC data: ${BTC:-not found}; budget ${BUDGET}s, $(elapsed)s used"
    echo
    if [ "$FINAL" = 0 ]; then echo "**In progress** (if this is the last report, the check was stopped here)"
    elif [ -z "$failed$unfinished" ]; then echo "**PASSED**: every step ran and passed (speed targets below)"
    else
      [ -n "$failed" ] && echo "**FAILED**: $failed"
      [ -n "$unfinished" ] && echo "**INCOMPLETE**: not run within the budget (run again with --only): $unfinished"
    fi
    echo
    echo "## Steps"
    echo
    echo "| step | kind | status | seconds | note |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '{ gsub(/\|/, "/", $5); printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$RESULTS"
    for section in targets bench compare; do
      [ -s "$WORK/$section.md" ] && { echo; cat "$WORK/$section.md"; }
    done
    for name in $(awk -F'\t' '$3 == "FAIL" || $3 == "warn" { print $1 }' "$RESULTS"); do
      [ -s "$LOGS/$name.log" ] || continue
      printf '\n### %s: the end of its log\n\n```\n' "$name"
      tail -n 15 "$LOGS/$name.log" | cut -c1-300
      printf '```\n'
    done
  } >"$f.new" && mv "$f.new" "$f"
  cp "$f" "$OUT_DIR/report.md"
}
trap 'record interrupted host FAIL "$(elapsed)" "the check was stopped (signal)"; FINAL=1; write_report; exit 1' TERM INT

finish() {
  FINAL=1
  write_report
  tar -czf "$OUT_DIR/logs.tar.gz" -C "$WORK" logs report.md 2>/dev/null
  cat "$WORK/bench.txt" >"$OUT_DIR/bench.txt" 2>/dev/null
  # The device tool returns the last 12,000 characters: the report without the logs' tails.
  awk '/^### .*: the end of its log$/ { exit } { print }' "$WORK/report.md"
  echo "(report.md, bench.txt and logs.tar.gz in $OUT_DIR; the report ends with each failed step's log)"
  awk -F'\t' '$3 == "FAIL" || ($3 == "skip" && $2 != "diag") { bad = 1 } END { exit bad }' "$RESULTS"
  exit $?
}

# ---- 1. configure and build for sm_90 (CUDA on; Cairo and libzip when found)
cfg=(-S "$ROOT" -B "$BUILD" -G "$GENERATOR" -DCMAKE_BUILD_TYPE=Release -DLIQMAP_CUDA=ON
  -DCMAKE_CUDA_ARCHITECTURES=90 -DLIQMAP_OMP_DEVICE=OFF -DLIQMAP_WERROR=OFF)
[ -n "$NVCC" ] && cfg+=(-DCMAKE_CUDA_COMPILER="$NVCC")
[ -n "$DEPS_PREFIX" ] && cfg+=(-DCMAKE_PREFIX_PATH="$DEPS_PREFIX")
command -v ccache >/dev/null 2>&1 && cfg+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
run_step configure host 120 cmake "${cfg[@]}" || finish
# What the check runs, not the whole suite: the CLI, the tools, the benchmark and the test
# programs labelled gpu in tests/ (all targets when none is found there).
GPU_TESTS=$(grep -rhoE 'liqmap_add_test\([A-Za-z0-9_]+[^)]*LABELS[^)]*\bgpu\b' "$ROOT/tests" --include=CMakeLists.txt |
  sed -E 's/liqmap_add_test\(([A-Za-z0-9_]+).*/\1/' | sort -u)
targets=()
if [ -n "$GPU_TESTS" ]; then
  present=$(cmake --build "$BUILD" --target help 2>/dev/null)
  for t in liqmap_cli liqmap_compare_runs copy_bandwidth bench_pipeline $GPU_TESTS; do
    grep -qE "(^|[ .])$t(:| |$)" <<<"$present" && targets+=(--target "$t")
  done
fi
keep_going=(-- -k)  # build every target that can be built, so one broken target stops no other
[ "$GENERATOR" = Ninja ] && keep_going=(-- -k 0)
run_step build host 420 cmake --build "$BUILD" -j"$JOBS" "${targets[@]}" "${keep_going[@]}"
[ -x "$LIQMAP" ] || { not_run everything-else host "no $LIQMAP was built"; finish; }
COMPARE=$BUILD/tools/liqmap_compare_runs

# ---- 2. info: what the build and the driver see
run_step info host 30 "$LIQMAP" info
"$LIQMAP" info --json >"$WORK/info.json" 2>&1
if command -v nvidia-smi >/dev/null 2>&1; then
  run_step nvidia-smi gpu 30 nvidia-smi
  figure device "$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)"
else
  not_run nvidia-smi gpu "nvidia-smi not found: no NVIDIA driver on this machine"
  figure device "none ($(grep -o '"cuda_reason": *"[^"]*"' "$WORK/info.json" | sed 's/.*: *"//; s/"$//'))"
fi
if grep -q '"cuda_usable": *true' "$WORK/info.json"; then
  record cuda-usable gpu ok 0 "$(grep -o '"devices": *\[[^]]*' "$WORK/info.json" | tr -s ' \n' ' ' | cut -c1-200)"
else
  record cuda-usable gpu FAIL 0 "liqmap sees no usable CUDA device: $(grep -o '"cuda_reason": *"[^"]*"' "$WORK/info.json" | sed 's/.*: *"//; s/"$//'); the GPU steps below fail"
fi
write_report

# The command-line options the check relies on (other work may rename them): missing ones are named.
missing_options() {  # SUBCOMMAND OPTION...
  local sub=$1 help o
  shift
  help=$("$LIQMAP" "$sub" --help 2>&1)
  for o; do grep -qE -- "(^|[[:space:],])$o([[:space:]=,]|$)" <<<"$help" || printf 'liqmap %s %s; ' "$sub" "$o"; done
}
MISSING_DEMO=$(missing_options demo --config --out --backend --quiet --steps --bins)
MISSING_COMPUTE=$(missing_options compute --market --oi --config --out --backend --quiet --log-price)
MISSING_BENCH=$(missing_options bench --positions --bins --steps --backends --threads)

# ---- 3. the GPU tests: every one must run and pass (a skip means no device)
if selected tests; then
  if run_step gpu-tests gpu 240 ctest --test-dir "$BUILD" -L gpu --output-on-failure --timeout 180; then
    total=$(grep -oE 'out of [0-9]+' "$LOGS/gpu-tests.log" | tail -1 | grep -oE '[0-9]+')
    skipped=$(grep -c '\*\*\*Skipped' "$LOGS/gpu-tests.log")
    if [ -z "$total" ] || [ "$total" -eq 0 ]; then
      fail_step gpu-tests "no test labelled gpu in this build"
    elif [ "$skipped" -gt 0 ]; then
      fail_step gpu-tests "$skipped of $total gpu tests skipped (they skip when no CUDA device is usable)"
    fi
    write_report
  fi
fi

# ---- 4. CUDA against CPU on the same job: R bit for bit; grids within a tolerance of the column
# total (smoothed 1e-6; raw 1e-9, run with the smoothing off so the .npy holds the raw grid).
printf '{"smoothing": {"sigma_price_bins": 0, "sigma_time_steps": 0}}\n' >"$WORK/raw.json"
printf '{"smoothing": {"sigma_price_bins": 1.5, "sigma_time_steps": 2}}\n' >"$WORK/time-smoothed.json"
compare_case() {  # NAME TOLERANCE SUBCOMMAND ARG...
  local name=$1 tolerance=$2 sub=$3 missing
  shift 3
  missing=$([ "$sub" = demo ] && echo "$MISSING_DEMO" || echo "$MISSING_COMPUTE")
  if [ -n "$missing" ]; then
    not_run "$name" gpu "the command line has changed, no: $missing(update scripts/gpu-check.sh)"
    return
  fi
  run_step "$name-cpu" host 240 "$LIQMAP" "$sub" "$@" --backend cpu --quiet --out "$WORK/$name-cpu"
  local cpu=$?
  run_step "$name-cuda" gpu 240 "$LIQMAP" "$sub" "$@" --backend cuda --quiet --out "$WORK/$name-cuda"
  local cuda=$?
  if [ "$cpu" -eq 125 ] || [ "$cuda" -eq 125 ]; then
    record "$name-compare" gpu skip 0 "not run: the budget of ${BUDGET}s is spent"
  elif [ "$cpu" -ne 0 ] || [ "$cuda" -ne 0 ]; then
    not_run "$name-compare" gpu "the $([ "$cpu" -ne 0 ] && echo CPU || echo CUDA) run failed"
  elif [ ! -x "$COMPARE" ]; then
    not_run "$name-compare" gpu "$COMPARE was not built"
  else
    run_step "$name-compare" gpu 120 "$COMPARE" "$WORK/$name-cpu" "$WORK/$name-cuda" --tolerance "$tolerance"
  fi
  [ -s "$LOGS/$name-compare.log" ] &&
    printf '### %s (%s %s; tolerance %s)\n\n```\n%s\n```\n\n' "$name" "$sub" "$*" "$tolerance" \
      "$(cat "$LOGS/$name-compare.log")" >>"$WORK/compare.md"
}
if selected compare; then
  echo "## CUDA against CPU" >"$WORK/compare.md"
  echo >>"$WORK/compare.md"
  compare_case demo 1e-6 demo
  compare_case demo-raw 1e-9 demo --config "$WORK/raw.json"
  if [ -n "$BTC" ]; then
    compare_case btc-1h 1e-6 compute --market "$BTC/btcusdt_1h_5year.csv" --oi "$BTC/coinglass_oi_4h.csv" \
      --config "$WORK/time-smoothed.json"
    compare_case btc-4h-raw 1e-9 compute --market "$BTC/btcusdt_4h_6year.csv" --oi "$BTC/coinglass_oi_4h.csv" \
      --config "$WORK/raw.json" --log-price
  else
    not_run btc gpu "BTC data not found (LIQMAP_BTC_DATA, shared/data/btc, ../shared/data/btc, .deps/btc)"
  fi
  write_report
fi

# ---- 5. compute-sanitizer on a small job that runs every kernel (price and time smoothing)
if selected sanitize; then
  printf '{"positions": {"samples_per_step": 2}, "smoothing": {"sigma_price_bins": 1, "sigma_time_steps": 1}}\n' \
    >"$WORK/sanitize.json"
  for tool in memcheck racecheck initcheck; do
    if [ -z "$SANITIZER" ]; then
      not_run "sanitize-$tool" gpu "compute-sanitizer not found"
    elif [ -n "$MISSING_DEMO" ]; then
      not_run "sanitize-$tool" gpu "the command line has changed, no: $MISSING_DEMO"
    elif run_step "sanitize-$tool" gpu 150 "$SANITIZER" --tool "$tool" --error-exitcode 99 \
      "$LIQMAP" demo --steps 300 --bins 64 --config "$WORK/sanitize.json" --backend cuda --quiet \
      --out "$WORK/sanitize-$tool"; then
      # memcheck and initcheck end with "ERROR SUMMARY: 0 errors", racecheck with
      # "RACECHECK SUMMARY: 0 hazards displayed (0 errors, 0 warnings)".
      grep -qE 'ERROR SUMMARY: 0 errors|RACECHECK SUMMARY: 0 hazards displayed \(0 errors, 0 warnings\)' "$LOGS/sanitize-$tool.log" ||
        fail_step "sanitize-$tool" "no summary of 0 errors in its output"
    fi
  done
  write_report
fi

# ---- 6. the device-to-device copy bandwidth: the ceiling for the recurrence and the smoothing
if selected bandwidth; then
  if [ -x "$BUILD/tools/copy_bandwidth" ]; then
    run_step bandwidth gpu 60 "$BUILD/tools/copy_bandwidth" 2 20 &&
      figure copy_GBps "$(awk '$1 == "copy_bandwidth_GBps" { print $2 }' "$LOGS/bandwidth.log")"
  else
    not_run bandwidth gpu "tools/copy_bandwidth was not built (no CUDA in this build?)"
  fi
fi

# ---- 7. the benchmark: `liqmap bench` per size, the CPU on 2 threads as the 2-core reference,
# bench_pipeline's per-stage bandwidth, and the large grid that the device runs in slices
bench_step() {  # NAME KIND LIMIT BACKEND BENCH-ARG...
  local name=$1 kind=$2 limit=$3 backend=$4
  shift 4
  if [ -n "$MISSING_BENCH" ]; then
    not_run "$name" "$kind" "the command line has changed, no: $MISSING_BENCH(update scripts/gpu-check.sh)"
    return 1
  fi
  run_step "$name" "$kind" "$limit" "$LIQMAP" bench "$@" --backends "$backend" || return 1
  { echo "== liqmap bench $* --backends $backend"; cat "$LOGS/$name.log"; echo; } >>"$WORK/bench.txt"
  if [ -z "$(bench_field "$LOGS/$name.log" "$backend" total)" ]; then
    fail_step "$name" "no $backend row in its table: $(grep -m1 "^$backend" "$LOGS/$name.log" | cut -c1-200)"
    write_report
    return 1
  fi
}
POSITIONS_2048=$(printf '%s\n' $POSITIONS 5e7 | sort -g -u | tr '\n' ' ')
LARGEST=$(printf '%s\n' $POSITIONS | sort -g | tail -1)
if selected bench; then
  for p in $POSITIONS_2048; do bench_step "bench-cuda-2048-$p" gpu 120 cuda --positions "$p" --bins 2048 --steps 10080; done
  bench_step "bench-cpu2-2048-$LARGEST" host 150 cpu --positions "$LARGEST" --bins 2048 --steps 10080 --threads 2
fi
PIPELINE_CSV=$WORK/bench_pipeline.csv
if selected pipeline; then
  if [ -x "$BUILD/bench/bench_pipeline" ]; then
    ints=$(for p in $POSITIONS_2048; do printf '%.0f|' "$p"; done)
    run_step bench-pipeline gpu 240 "$BUILD/bench/bench_pipeline" \
      "--benchmark_filter=^pipeline/cuda/positions:(${ints%|})/bins:2048/steps:10080/" \
      --benchmark_out="$PIPELINE_CSV" --benchmark_out_format=csv
    { echo "== bench_pipeline (cuda, 2,048 x 10,080)"; cat "$LOGS/bench-pipeline.log"; echo; } >>"$WORK/bench.txt"
    if [ "$(status_of bench-pipeline)" = ok ] && [ "$(grep '^"pipeline/cuda' "$PIPELINE_CSV" | grep -vc ',true,')" -eq 0 ]; then
      fail_step bench-pipeline "no cuda job on 2,048 x 10,080 ran: $(grep -m1 -oE ',true,.*' "$PIPELINE_CSV" | cut -c7-200)"
    fi
  else
    not_run bench-pipeline gpu "bench/bench_pipeline was not built (Google Benchmark missing?)"
  fi
  write_report
fi
if selected large; then
  for p in $POSITIONS; do bench_step "bench-cuda-16384x100000-$p" gpu 150 cuda --positions "$p" --bins 16384 --steps 100000; done
fi

# ---- 8. profiles, where the tools exist (diagnostics: they never fail the check)
if selected profile; then
  if [ -n "$NCU" ]; then
    # The pipeline's kernels by their functors' names (Thrust names every kernel _kernel_agent).
    run_step profile-ncu diag 150 "$NCU" --clock-control none --section SpeedOfLight --section Occupancy \
      --section LaunchStats --kernel-name-base demangled \
      --kernel-name 'regex:[Ss]catter|[Rr]ecurrence|[Ss]mooth|[Tt]ranspose|[Ss]urvival|[Cc]arry' \
      --launch-count 12 "$LIQMAP" bench --positions 1e7 --bins 2048 --steps 10080 --backends cuda
  else
    record profile-ncu diag skip 0 "ncu not found"
  fi
  if [ -n "$NSYS" ]; then
    run_step profile-nsys diag 150 "$NSYS" profile --stats=true --force-overwrite=true -o "$WORK/nsys-bench" \
      "$LIQMAP" bench --positions 1e7 --bins 2048 --steps 10080 --backends cuda
  else
    record profile-nsys diag skip 0 "nsys not found"
  fi
fi

# ---- 9. the issue's speed targets, from the figures above
if selected bench || selected pipeline || selected bandwidth; then
  big=$LOGS/bench-cuda-2048-$LARGEST.log five=$LOGS/bench-cuda-2048-5e7.log cpu=$LOGS/bench-cpu2-2048-$LARGEST.log
  positions=$(bench_field "$big" cuda positions) scatter=$(bench_field "$big" cuda scatter)
  fused=$([ -n "$positions" ] && [ -n "$scatter" ] && calc "$positions / $scatter")
  ms=$(t=$(bench_field "$five" cuda total) && [ -n "$t" ] && calc "$t * 1000")
  cuda_total=$(bench_field "$big" cuda total) cpu_total=$(bench_field "$cpu" cpu total)
  speedup=$([ -n "$cuda_total" ] && [ -n "$cpu_total" ] && calc "$cpu_total / $cuda_total")
  copy=$(figure_of copy_GBps)
  {
    echo "## Speed targets (issue 13; device time, one run)"
    echo
    echo "| target | measured | needed | verdict |"
    echo "|---|---|---|---|"
    echo "| fused position kernel ($LARGEST positions, 2,048 x 10,080: positions / scatter s) | ${fused:--} positions/s | >= 3e9 | $(verdict "$fused" ge 3e9) |"
    echo "| 5e7 positions on 2,048 x 10,080, all stages | ${ms:--} ms | < 25 ms | $(verdict "$ms" lt 25)$(slowest_stage "$five") |"
    dl=$(bench_field "$five" cuda download)
    device_ms=$([ -n "$ms" ] && [ -n "$dl" ] && calc "$ms - $dl * 1000")
    echo "| the same without the download to host memory (the device's own stages) | ${device_ms:--} ms | < 25 ms | $(verdict "$device_ms" lt 25) |"
    for stage in survival_recurrence smooth_price; do
      gbps=$(pipeline_field "$PIPELINE_CSV" "$LARGEST" "${stage}_GBps")  # the stages' names in bench_pipeline
      share=$([ -n "$gbps" ] && [ -n "$copy" ] && calc "$gbps / $copy")
      echo "| $stage at $LARGEST positions (bench_pipeline ${stage}_GBps / copy ${copy:-?} GB/s) | ${gbps:--} GB/s = ${share:--} of copy | >= 0.7 | $(verdict "$share" ge 0.7) |"
    done
    echo "| CPU on 2 threads / CUDA, $LARGEST positions, all stages | ${cpu_total:--} s / ${cuda_total:--} s = ${speedup:--}x | >= 100x | $(verdict "$speedup" ge 100)$(slowest_stage "$big") |"
    for p in $POSITIONS; do
      t=$(bench_field "$LOGS/bench-cuda-16384x100000-$p.log" cuda total)
      echo "| large grid 16,384 x 100,000, $p positions (in slices) | ${t:--} s | runs (agreement in slices: the gpu tests) | $([ -n "$t" ] && echo ran || echo "not measured") |"
    done
    echo
    echo "The CPU reference runs here with --threads 2 (a 2-core machine's figure: bench/RESULTS.md)."
  } >"$WORK/targets.md"
  {
    echo "## liqmap bench (seconds per stage)"
    echo
    echo "| backend | positions | bins | steps | tables | upload | scatter | recurrence | smooth_p | smooth_t | download | total | positions/s |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for log in "$LOGS"/bench-cuda-2048-*.log "$cpu" "$LOGS"/bench-cuda-16384x100000-*.log; do
      [ -s "$log" ] && awk '($1 == "cuda" || $1 == "cpu") && $2 != "skipped:" && NF >= 12 {
        printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n" }' "$log"
    done
  } >"$WORK/bench.md"
  [ -s "$PIPELINE_CSV" ] && { echo "== bench_pipeline CSV"; cat "$PIPELINE_CSV"; } >>"$WORK/bench.txt"
fi
finish
