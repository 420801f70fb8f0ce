"""Backtest and cascade over the C API (liqmap.h, "Backtest and cascade"; docs/backtest.md).

    import liqmap
    result = liqmap.compute(market, config)
    report = result.backtest(horizons=("4h", "24h"), min_distance=1, max_distance=5)
    report["horizons"][0]["all"]["rules"]["cluster"]["first"]   # hit rate with its 95% interval

    out = liqmap.cascade(prices, long_usd, short_usd, start_price=100, shock=-0.04,
                         sigma_daily=0.03, volume_daily_usd=2e9)
    out["final_price"], out["path"]

The same numbers as `liqmap backtest` (backtest.json) and `liqmap cascade` (cascade.json).
"""
import ctypes
import json
import re

import numpy as np

from ._errors import Status
from ._errors import check as _check
from ._errors import lib as _lib

__all__ = ["backtest", "cascade", "parse_duration_ms"]

_c_double_p = ctypes.POINTER(ctypes.c_double)
_c_int64_p = ctypes.POINTER(ctypes.c_int64)
_c_size_p = ctypes.POINTER(ctypes.c_size_t)


class BacktestOptions(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("min_distance_pct", ctypes.c_double),
                ("max_distance_pct", ctypes.c_double), ("horizons_ms", _c_int64_p),
                ("horizon_count", ctypes.c_size_t), ("every_ms", ctypes.c_int64),
                ("reverse_bars", ctypes.c_size_t), ("momentum_lookback_ms", ctypes.c_int64),
                ("bootstrap_draws", ctypes.c_int), ("seed", ctypes.c_uint64)]


class CascadeInputs(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("price", _c_double_p), ("long_usd", _c_double_p),
                ("short_usd", _c_double_p), ("bins", ctypes.c_size_t),
                ("start_price", ctypes.c_double), ("shocked_price", ctypes.c_double),
                ("sigma_daily", ctypes.c_double), ("volume_daily_usd", ctypes.c_double),
                ("impact_y", ctypes.c_double)]


class CascadeStep(ctypes.Structure):
    _fields_ = [("iteration", ctypes.c_size_t), ("price", ctypes.c_double),
                ("flow_usd", ctypes.c_double), ("liquidated_usd", ctypes.c_double)]


class CascadeResult(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("final_price", ctypes.c_double),
                ("long_usd", ctypes.c_double), ("short_usd", ctypes.c_double),
                ("extra_move_pct", ctypes.c_double), ("rounds", ctypes.c_size_t),
                ("converged", ctypes.c_int)]


_lib.liqmap_backtest_options_default.restype = BacktestOptions
_lib.liqmap_backtest_options_default.argtypes = []
_lib.liqmap_engine_backtest.restype = ctypes.c_int
_lib.liqmap_engine_backtest.argtypes = [ctypes.c_void_p, ctypes.POINTER(BacktestOptions),
                                        ctypes.c_char_p, ctypes.c_size_t, _c_size_p]
_lib.liqmap_cascade.restype = ctypes.c_int
_lib.liqmap_cascade.argtypes = [ctypes.POINTER(CascadeInputs), ctypes.POINTER(CascadeResult),
                                ctypes.POINTER(CascadeStep), ctypes.c_size_t, _c_size_p]

_UNITS_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


def parse_duration_ms(value):
    """"4h", "90m", "3d", "1w" (or a number of milliseconds) in milliseconds."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([mhdw])\s*", str(value))
    if not match:
        raise ValueError(f"duration {value!r}: expected a number with a unit m, h, d or w (4h, 1w)")
    return int(round(float(match.group(1)) * _UNITS_MS[match.group(2)]))


def backtest(engine, min_distance=1.0, max_distance=5.0, horizons=("4h", "24h", "72h", "1w"),
             every=None, reverse_bars=3, momentum_lookback=None, bootstrap=1000, seed=1):
    """Runs `liqmap backtest` on an Engine's (or a Result's) last map; returns backtest.json as a
    dict. Each evaluation time uses only the map column and candles up to that time."""
    options = _lib.liqmap_backtest_options_default()
    options.min_distance_pct = float(min_distance)
    options.max_distance_pct = float(max_distance)
    horizon_ms = (ctypes.c_int64 * len(horizons))(*[parse_duration_ms(h) for h in horizons])
    options.horizons_ms = ctypes.cast(horizon_ms, _c_int64_p)
    options.horizon_count = len(horizons)
    options.every_ms = parse_duration_ms(every) if every is not None else 0
    options.reverse_bars = int(reverse_bars)
    options.momentum_lookback_ms = parse_duration_ms(momentum_lookback) if momentum_lookback else 0
    options.bootstrap_draws = int(bootstrap)
    options.seed = int(seed)
    handle = engine._handle  # an Engine's, or a Result's (which raises once closed)
    count = ctypes.c_size_t(0)
    # One call with a generous buffer: each call runs the backtest again.
    buffer = ctypes.create_string_buffer(1 << 20)
    status = _lib.liqmap_engine_backtest(handle, ctypes.byref(options), buffer, len(buffer),
                                         ctypes.byref(count))
    if status == Status.BUFFER_TOO_SMALL:  # count holds the size
        buffer = ctypes.create_string_buffer(count.value)
        status = _lib.liqmap_engine_backtest(handle, ctypes.byref(options), buffer, len(buffer),
                                             ctypes.byref(count))
    _check(status)
    return json.loads(buffer.value.decode())


def cascade(price, long_usd, short_usd, start_price, sigma_daily, volume_daily_usd,
            shock=None, target=None, impact_y=1.0):
    """Runs `liqmap cascade` on one profile (bin centres, long and short notional per bin).

    Give `shock` (a fraction: -0.04 is -4%) or `target` (a price). Returns a dict with
    final_price, long_usd, short_usd, extra_move_pct, rounds, converged and path (a list of
    dicts: iteration, price, flow_usd, liquidated_usd).
    """
    if (shock is None) == (target is None):
        raise ValueError("give exactly one of shock (a fraction, -0.04) and target (a price)")
    arrays = [np.ascontiguousarray(a, dtype=np.float64) for a in (price, long_usd, short_usd)]
    if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
        raise ValueError("price, long_usd and short_usd must be 1-D and of one length")
    inputs = CascadeInputs()
    inputs.size = ctypes.sizeof(CascadeInputs)
    inputs.price, inputs.long_usd, inputs.short_usd = (a.ctypes.data_as(_c_double_p) for a in arrays)
    inputs.bins = arrays[0].size
    inputs.start_price = float(start_price)
    inputs.shocked_price = float(target) if target is not None else float(start_price) * (1 + float(shock))
    inputs.sigma_daily = float(sigma_daily)
    inputs.volume_daily_usd = float(volume_daily_usd)
    inputs.impact_y = float(impact_y)
    result = CascadeResult()
    result.size = ctypes.sizeof(CascadeResult)
    count = ctypes.c_size_t(0)
    _check(_lib.liqmap_cascade(ctypes.byref(inputs), ctypes.byref(result), None, 0, ctypes.byref(count)))
    steps = (CascadeStep * count.value)()
    _check(_lib.liqmap_cascade(ctypes.byref(inputs), None, steps, count.value, ctypes.byref(count)))
    return {"start_price": inputs.start_price, "shocked_price": inputs.shocked_price,
            "final_price": result.final_price, "long_usd": result.long_usd,
            "short_usd": result.short_usd, "extra_move_pct": result.extra_move_pct,
            "rounds": result.rounds, "converged": bool(result.converged),
            "path": [{"iteration": s.iteration, "price": s.price, "flow_usd": s.flow_usd,
                      "liquidated_usd": s.liquidated_usd} for s in steps]}
