"""Markets handed in from Python: a dict of arrays or a pandas DataFrame, turned into the
contiguous arrays of liqmap_market. Times are read as the CLI reads a file's: a DatetimeIndex or
a time column (ts, timestamp, open_time, time, create_time), datetime64 (tz-aware or naive =
UTC), ISO-8601 strings, or epoch seconds / ms / µs / ns told apart by magnitude."""
from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np

from ._errors import LiqmapError, Status

TIME_COLUMNS = ("ts", "timestamp", "open_time", "time", "create_time")  # io/column_maps.cpp
PRICE_COLUMNS = ("open", "high", "low", "close")
OPTIONAL_COLUMNS = ("volume", "long_share")
# Open interest as the CLI names it; the names that say USD give the quote unit.
OI_COLUMNS = {"oi": None, "open_interest": None, "oi_usd": "quote", "open_interest_usd": "quote",
              "oi_value": "quote", "open_interest_value": "quote", "oi_quote": "quote"}

# Epoch values from 1990 to 2200 in each unit never overlap (io/timestamp.cpp).
_FIRST_S, _LAST_S = 631152000, 7258118400
_SCALES = ((1, "s"), (1_000, "ms"), (1_000_000, "us"), (1_000_000_000, "ns"))


def _invalid(message: str) -> LiqmapError:
    return LiqmapError(Status.INVALID_ARGUMENT, message)


def _epoch_to_ms(values: np.ndarray, name: str) -> np.ndarray:
    if np.issubdtype(values.dtype, np.floating):
        if not np.all(np.isfinite(values)):
            row = int(np.argmin(np.isfinite(values)))
            raise _invalid(f"row {row + 1}: column '{name}' is {values[row]}; expected a time")
    magnitude = np.abs(values.astype(np.float64))
    out = np.empty(values.size, dtype=np.int64)
    done = np.zeros(values.size, dtype=bool)
    for per_second, _unit in _SCALES:
        inside = (magnitude >= _FIRST_S * per_second) & (magnitude < _LAST_S * per_second)
        if per_second <= 1000:
            out[inside] = np.round(values[inside].astype(np.float64) * (1000 // per_second))
        else:
            out[inside] = values[inside].astype(np.int64) // (per_second // 1000)
        done |= inside
    if not done.all():
        row = int(np.argmin(done))
        raise _invalid(f"row {row + 1}: column '{name}' is {values[row]!r}; expected a time from "
                       "1990 to 2200 in epoch s, ms, µs or ns, or ISO-8601")
    return out


def timestamps_ms(values: Any, name: str = "ts") -> np.ndarray:
    """ms since the epoch (int64) from datetimes (any tz; naive = UTC), ISO strings or epochs."""
    try:
        import pandas as pd
    except ImportError:  # numpy-only callers
        pd = None
    if pd is not None and isinstance(getattr(values, "dtype", None), pd.DatetimeTZDtype):
        values = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return array.astype("datetime64[ms]").astype(np.int64)
    if array.dtype.kind in "OUS":
        if pd is None:
            raise _invalid(f"column '{name}' holds text; reading ISO-8601 times needs pandas")
        try:
            parsed = pd.to_datetime(pd.Series(array), utc=True)
        except (ValueError, TypeError) as e:
            raise _invalid(f"column '{name}': {e}; expected ISO-8601 (2025-10-06T12:00:00Z) or "
                           "epoch s, ms, µs or ns") from None
        return parsed.dt.tz_localize(None).to_numpy().astype("datetime64[ms]").astype(np.int64)
    if array.dtype.kind not in "iuf":
        raise _invalid(f"column '{name}' has type {array.dtype}; expected times")
    return _epoch_to_ms(array, name)


def _columns(market: Any) -> Dict[str, Any]:
    """{lower-case name: values} of a DataFrame or mapping."""
    if hasattr(market, "columns"):
        return {str(c).strip().lower(): market[c] for c in market.columns}
    if isinstance(market, Mapping):
        return {str(k).strip().lower(): v for k, v in market.items()}
    raise _invalid(f"a market is a dict of arrays or a pandas DataFrame, not {type(market).__name__}")


def market_arrays(market: Any) -> Tuple[Dict[str, np.ndarray], Optional[str]]:
    """The columns liqmap_market takes, as contiguous arrays, and the unit of open interest the
    column names say (None: not said). Other columns are ignored."""
    columns = _columns(market)
    time_name = next((n for n in TIME_COLUMNS if n in columns), None)
    index = getattr(market, "index", None)
    if time_name is not None:
        ts = timestamps_ms(columns[time_name], time_name)
    elif index is not None and np.issubdtype(np.asarray(index).dtype, np.datetime64) or \
            (index is not None and str(getattr(index, "dtype", "")).startswith("datetime64")):
        ts = timestamps_ms(index, "index")
    else:
        raise _invalid(f"the market has no time: give a DatetimeIndex or one of the columns "
                       f"{list(TIME_COLUMNS)}")
    missing = [n for n in PRICE_COLUMNS if n not in columns]
    if missing:
        raise _invalid(f"the market lacks the columns {missing}")
    arrays = {"ts": ts}
    for name in PRICE_COLUMNS + OPTIONAL_COLUMNS:
        if name in columns:
            arrays[name] = np.ascontiguousarray(columns[name], dtype=np.float64)
    oi_names = [n for n in OI_COLUMNS if n in columns]
    if len(oi_names) > 1:
        raise _invalid(f"the market has several open-interest columns {oi_names}; keep one")
    oi_unit = None
    if oi_names:
        arrays["oi"] = np.ascontiguousarray(columns[oi_names[0]], dtype=np.float64)
        oi_unit = OI_COLUMNS[oi_names[0]]
    for name, values in arrays.items():
        if values.ndim != 1 or values.size != ts.size:
            raise _invalid(f"column '{name}' has shape {values.shape}; the times have {ts.size} "
                           f"values and every column must have as many")
    return arrays, oi_unit


def attrs_of(market: Any) -> Dict[str, Any]:
    """What read_market left on a DataFrame (oi_unit, warmup_rows, notices)."""
    return dict(getattr(market, "attrs", {}) or {})


def column_list(values: Any) -> List[str]:
    if isinstance(values, (str, bytes)) or hasattr(values, "__fspath__"):
        return [str(values)]
    return [str(v) for v in values]
