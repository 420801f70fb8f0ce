#!/usr/bin/env bash
# The fidelity table of docs/model.md section 7: the model's liquidations against the two
# realized train windows (../shared/data/btc), at 1h and 4h bars, Spearman and Pearson per side
# with bootstrap 95% intervals, next to the two baselines `liqmap score` computes.
#   scripts/fidelity.sh [CONFIG.json [CONFIG_FOR_THE_HOURLY_TRUTH.json]]
# Environment: LIQMAP (default build/liqmap), DATA (default ../shared/data/btc, else
# /work/shared/data/btc), DRAWS (bootstrap draws, default 1000), OUT (scratch, default a temp dir).
# Train windows only: the 4h Binance truth with the all-exchange 4h OI (2025-10-06 12:00 ..
# 2026-01-04 08:00) and the hourly Binance+Bybit+OKX truth with Binance's hourly OI
# (2025-12-04 06:00 .. 2026-01-03 23:00). The 4h truth cannot be scored at 1h (no finer truth);
# no 1m/5m candles exist in the data, so the finest candles are 1h.
set -euo pipefail
cd "$(dirname "$0")/.."
LIQMAP=${LIQMAP:-build/liqmap}
DATA=${DATA:-../shared/data/btc}
[ -d "$DATA" ] || DATA=/work/shared/data/btc
DRAWS=${DRAWS:-1000}
OUT=${OUT:-$(mktemp -d)}
CONFIG_4H=${1:-}
CONFIG_1H=${2:-${1:-}}
command -v jq >/dev/null || { echo "fidelity.sh: needs jq" >&2; exit 2; }

truth4=$DATA/coinglass_liquidation_4h_train.csv
truth1=$DATA/coinglass_liquidation_1h_3venues_train.csv
config() { [ -n "$1" ] && echo "--config $1" || true; }

# run NAME CANDLES OI CONFIG
run() {
  "$LIQMAP" compute $(config "$4") --market "$DATA/$2" --oi "$DATA/$3" --bins 64 --outputs npy --out "$OUT/$1" --quiet
}
# row WINDOW CANDLES RUN TRUTH BAR VENUES OI_VENUES FROM TO
row() {
  local j
  j=$("$LIQMAP" score "$OUT/$3" --realized "$4" --bar "$5" --realized-venues "$6" --oi-venues "$7" --from "$8" --to "$9" \
      --bootstrap "$DRAWS" --json)
  for side in long short; do
    jq -r --arg w "$1" --arg c "$2" --arg b "$5" --arg s "$side" '
      def f: (.value*1000|round/1000|tostring);
      def ci: "\(.value*1000|round/1000) [\(.ci95[0]*1000|round/1000), \(.ci95[1]*1000|round/1000)]";
      "| \($w) | \($c) | \($b) | \(.bars) | \($s) | \(.["model_"+$s].spearman|ci) | \(.["model_"+$s].pearson|ci) | " +
      "\(.["extreme_"+$s].spearman|f) / \(.["extreme_"+$s].pearson|f) | \(.["range_"+$s].spearman|f) / \(.["range_"+$s].pearson|f) |"' \
      <<<"$j"
  done
}

run a4 btcusdt_4h_6year.csv coinglass_oi_4h.csv "$CONFIG_4H"
run a1 btcusdt_1h_5year.csv coinglass_oi_4h.csv "$CONFIG_4H"
run b1 btcusdt_1h_5year.csv binance_oi_1h_train.csv "$CONFIG_1H"
run b4 btcusdt_4h_6year.csv binance_oi_1h_train.csv "$CONFIG_1H"

A="2025-10-06T12:00 2026-01-04T08:00"
B="2025-12-04T06:00 2026-01-03T23:00"
echo "| truth (train window) | candles | bar | bars | side | model Spearman | model Pearson | open-to-extreme x OI S / P | range x OI S / P |"
echo "|---|---|---|---|---|---|---|---|---|"
row "Binance 4h" 1h a1 "$truth4" 4h binance all $A
row "Binance 4h" 4h a4 "$truth4" 4h binance all $A
row "3 venues 1h" 1h b1 "$truth1" 1h binance,bybit,okx binance $B
row "3 venues 1h" 1h b1 "$truth1" 4h binance,bybit,okx binance $B
row "3 venues 1h" 4h b4 "$truth1" 4h binance,bybit,okx binance $B
