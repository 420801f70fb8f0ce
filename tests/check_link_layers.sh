#!/usr/bin/env bash
# The libraries' layers have no cycle: given the static libraries lowest layer first, no library
# uses (leaves undefined) a symbol that a library after it defines. A call up (e.g. the device
# pipeline calling into the engine that links it) fails here, naming the symbols.
#   check_link_layers.sh NM LIB...
set -euo pipefail
nm_tool=$1
shift
libraries=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in "${!libraries[@]}"; do
  "$nm_tool" -C --defined-only "${libraries[$i]}" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { $1 = ""; $2 = ""; print substr($0, 3) }' |
    sort -u > "$work/defined.$i"
  "$nm_tool" -C -u "${libraries[$i]}" 2>/dev/null | sed 's/^ *U //' | sort -u > "$work/used.$i"
done
failed=0
for i in "${!libraries[@]}"; do
  for j in "${!libraries[@]}"; do
    [ "$j" -gt "$i" ] || continue
    calls=$(comm -12 "$work/used.$i" "$work/defined.$j")
    if [ -n "$calls" ]; then
      echo "$(basename "${libraries[$i]}") calls up into $(basename "${libraries[$j]}"), a layer above it:"
      echo "$calls" | head -n 20 | sed 's/^/  /'
      failed=1
    fi
  done
done
[ "$failed" -eq 0 ] && echo "${#libraries[@]} libraries, no call up a layer"
exit "$failed"
