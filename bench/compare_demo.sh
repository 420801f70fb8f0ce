#!/bin/sh
# Side-by-side demo runs of two liqmap binaries, alternated so that both see the same machine
# state: one line per run with the stage times (from --json) and the process's wall and CPU time.
#   bench/compare_demo.sh BEFORE_BINARY AFTER_BINARY [RUNS] [extra demo options...]
set -eu
before=$1 after=$2 runs=${3:-3}
shift 2; [ $# -gt 0 ] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'run binary plan scatter recurrence smoothing outputs wall user+sys\n'
i=1
while [ "$i" -le "$runs" ]; do
  for which in before after; do
    binary=$before; [ "$which" = after ] && binary=$after
    rm -rf "$out/demo"
    /usr/bin/time -f '%e %U %S' -o "$out/time" "$binary" demo --out "$out/demo" --json "$@" > "$out/json"
    python3 - "$out/json" "$out/time" "$i" "$which" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["stats"]["stage_seconds"]
wall, user, system = (float(x) for x in open(sys.argv[2]).read().split())
smooth = sum(v for k, v in s.items() if k.startswith("smooth"))
print(sys.argv[3], sys.argv[4], "%.3f" % s.get("plan", 0), "%.3f" % s.get("scatter_deltas", 0),
      "%.3f" % s.get("survival_recurrence", 0), "%.3f" % smooth, "%.3f" % d.get("output_seconds", 0),
      "%.2f" % wall, "%.2f" % (user + system))
PY
  done
  i=$((i + 1))
done
