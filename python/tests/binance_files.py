"""Binance public-data files (klines and futures metrics, zipped) made from the synthetic
market, for the tests of read_market: the formats of data.binance.vision."""
import io
import zipfile
from datetime import datetime, timezone

import liqmap

KLINES_HEADER = ("open_time,open,high,low,close,volume,close_time,quote_volume,count,"
                 "taker_buy_volume,taker_buy_quote_volume,ignore")
METRICS_HEADER = ("create_time,symbol,sum_open_interest,sum_open_interest_value,"
                  "count_toptrader_long_short_ratio,sum_toptrader_long_short_ratio,"
                  "count_long_short_ratio,sum_taker_long_short_vol_ratio")


def _zip(path, inner_name, text):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner_name, text)


def write_binance_files(folder, steps=1500, seed=7, day="2026-01-01"):
    """Writes BTCUSDT-1m-DAY.zip and BTCUSDT-metrics-DAY.zip into `folder` (open interest every
    5 minutes, from the synthetic market's); returns their paths and the market."""
    market = liqmap.synthetic_market(steps=steps, seed=seed)
    klines = io.StringIO()
    klines.write(KLINES_HEADER + "\n")
    for i in range(steps):
        ts = int(market["ts"][i])
        o, h, l, c, v = (float(market[k][i]) for k in ("open", "high", "low", "close", "volume"))
        klines.write(f"{ts},{o!r},{h!r},{l!r},{c!r},{v!r},{ts + 59999},{v * c!r},10,"
                     f"{v / 2!r},{v * c / 2!r},0\n")
    metrics = io.StringIO()
    metrics.write(METRICS_HEADER + "\n")
    # Open interest from minute 100 on: the candles before it are the warm-up.
    for i in range(100, steps, 5):
        ts = int(market["ts"][i])
        when = datetime.fromtimestamp(ts / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        oi = float(market["oi"][i])  # coins, as sum_open_interest
        ratio = 1.0 + 0.2 * ((i // 5) % 3)
        metrics.write(f"{when},BTCUSDT,{oi!r},{oi * float(market['close'][i])!r},1.1,1.2,"
                      f"{ratio!r},0.9\n")
    candles_path = f"{folder}/BTCUSDT-1m-{day}.zip"
    metrics_path = f"{folder}/BTCUSDT-metrics-{day}.zip"
    _zip(candles_path, f"BTCUSDT-1m-{day}.csv", klines.getvalue())
    _zip(metrics_path, f"BTCUSDT-metrics-{day}.csv", metrics.getvalue())
    return candles_path, metrics_path, market
