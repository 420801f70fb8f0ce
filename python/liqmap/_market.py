"""Markets handed in from Python: a dict of arrays or a pandas DataFrame, turned into the
contiguous arrays of liqmap_market. The times are read by the engine with the CLI's rules for a
file's (liqmap_engine_load_market): a DatetimeIndex or a time column (ts, timestamp, open_time,
time, create_time) of datetimes (tz-aware or naive = UTC), text (ISO-8601 or epoch, as in a file:
"05/01/2026" is refused, not guessed) or epoch s / ms / µs / ns told apart by magnitude, all
from 1990 to 2200."""
import datetime
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

import numpy as np

from ._errors import LiqmapError, Status, lib

TIME_COLUMNS = ("ts", "timestamp", "open_time", "time", "create_time")  # io/column_maps.cpp
PRICE_COLUMNS = ("open", "high", "low", "close")
OPTIONAL_COLUMNS = ("volume", "long_share")
# Open interest as the CLI names it; the names that say USD give the quote unit.
OI_COLUMNS = {"oi": None, "open_interest": None, "oi_usd": "quote", "open_interest_usd": "quote",
              "oi_value": "quote", "open_interest_value": "quote", "oi_quote": "quote"}


def _invalid(message: str) -> LiqmapError:
    return LiqmapError(Status.INVALID_ARGUMENT, message)


class Times(NamedTuple):
    """A time column as liqmap_engine_load_market takes it: `ms` (int64 ms of datetimes),
    `epoch` (int64 epoch values of any scale) or `text` (one time per line)."""
    kind: str
    values: Any


def _datetimes_ms(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if np.isnat(array).any():
        row = int(np.argmax(np.isnat(array)))
        raise _invalid(f"row {row + 1}: column '{name}' is NaT; expected a time")
    return array.astype("datetime64[ms]").astype(np.int64)


def _as_text(values: Any) -> "Times":
    lines = [str(v) for v in values]
    return Times("text", ("\n".join(lines) + "\n").encode())


def market_times(values: Any, name: str = "ts") -> Times:
    """The times of a column or index as the engine reads them (see the module's docstring)."""
    try:
        import pandas as pd
    except ImportError:  # numpy-only callers
        pd = None
    if pd is not None and isinstance(getattr(values, "dtype", None), pd.DatetimeTZDtype):
        values = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return Times("ms", _datetimes_ms(array, name))
    if array.dtype.kind in "iu":
        return Times("epoch", np.ascontiguousarray(array, dtype=np.int64))
    if array.dtype.kind == "f":
        whole = np.isfinite(array) & (array == np.round(array)) & (np.abs(array) < 2.0 ** 63)
        # A fractional or missing epoch is refused by the engine with the file's rule.
        return Times("epoch", array.astype(np.int64)) if whole.all() else _as_text(array)
    if array.dtype.kind in "OUS":
        if array.dtype.kind == "S":
            array = np.char.decode(array, "utf-8")
        dated = [isinstance(v, (datetime.datetime, np.datetime64)) for v in array.ravel()]
        if pd is not None and dated and all(dated):  # datetime objects: no text to guess at
            stamps = pd.to_datetime(pd.Series(array), utc=True).dt.tz_localize(None)
            return Times("ms", _datetimes_ms(stamps.to_numpy(), name))
        return _as_text(array)
    raise _invalid(f"column '{name}' has type {array.dtype}; expected times")


def time_ms(value: Any, name: str) -> int:
    """One time (ISO text, epoch s/ms/µs/ns, datetime, pd.Timestamp, np.datetime64) in ms, read
    as the CLI reads --from/--to (liqmap_parse_time): from 1990 to 2200, ISO-8601 or epoch."""
    import ctypes
    if isinstance(value, (bytes, str)):
        text = value.decode() if isinstance(value, bytes) else value
    elif isinstance(value, (bool, np.bool_)):
        raise _invalid(f"{name} is {value!r}; expected a time")
    elif isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        text = str(int(value)) if float(value).is_integer() else repr(float(value))
    else:
        try:
            import pandas as pd
            stamp = pd.Timestamp(value)
        except (ImportError, TypeError, ValueError):
            raise _invalid(f"{name} is {value!r}; expected a time (ISO-8601 text, epoch, "
                           "datetime)") from None
        if stamp is pd.NaT:
            raise _invalid(f"{name} is NaT; expected a time")
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        text = stamp.isoformat()  # ISO: the engine checks its years, never a magnitude
    ms = ctypes.c_int64(0)
    if lib.liqmap_parse_time(text.encode(), ctypes.byref(ms)) != Status.OK:
        raise _invalid(f"{name}: " + lib.liqmap_last_error().decode("utf-8", "replace"))
    return ms.value


def _columns(market: Any) -> Dict[str, Any]:
    """{lower-case name: values} of a DataFrame or mapping."""
    if hasattr(market, "columns"):
        return {str(c).strip().lower(): market[c] for c in market.columns}
    if isinstance(market, Mapping):
        return {str(k).strip().lower(): v for k, v in market.items()}
    raise _invalid(f"a market is a dict of arrays or a pandas DataFrame, not {type(market).__name__}")


class MarketArrays(NamedTuple):
    arrays: Dict[str, np.ndarray]  # the columns liqmap_market takes, contiguous (ts not among them)
    times: Times
    length: int
    oi_unit: Optional[str]    # the unit the open-interest column's name says
    oi_column: Optional[str]  # that column's name


def market_arrays(market: Any) -> MarketArrays:
    """The columns liqmap_market takes, as contiguous arrays, the times, and the unit of open
    interest the column names say. Other columns are ignored."""
    columns = _columns(market)
    time_name = next((n for n in TIME_COLUMNS if n in columns), None)
    index = getattr(market, "index", None)
    if time_name is not None:
        times = market_times(columns[time_name], time_name)
        length = len(columns[time_name])
    elif index is not None and np.issubdtype(np.asarray(index).dtype, np.datetime64) or \
            (index is not None and str(getattr(index, "dtype", "")).startswith("datetime64")):
        times = market_times(index, "index")
        length = len(index)
    else:
        raise _invalid(f"the market has no time: give a DatetimeIndex or one of the columns "
                       f"{list(TIME_COLUMNS)}")
    missing = [n for n in PRICE_COLUMNS if n not in columns]
    if missing:
        raise _invalid(f"the market lacks the columns {missing}")
    arrays = {}
    for name in PRICE_COLUMNS + OPTIONAL_COLUMNS:
        if name in columns:
            arrays[name] = np.ascontiguousarray(columns[name], dtype=np.float64)
    oi_names = [n for n in OI_COLUMNS if n in columns]
    if len(oi_names) > 1:
        raise _invalid(f"the market has several open-interest columns {oi_names}; keep one")
    oi_unit = oi_column = None
    if oi_names:
        oi_column = oi_names[0]
        arrays["oi"] = np.ascontiguousarray(columns[oi_column], dtype=np.float64)
        oi_unit = OI_COLUMNS[oi_column]
    for name, values in arrays.items():
        if values.ndim != 1 or values.size != length:
            raise _invalid(f"column '{name}' has shape {values.shape}; the times have {length} "
                           f"values and every column must have as many")
    return MarketArrays(arrays, times, length, oi_unit, oi_column)


def attrs_of(market: Any) -> Dict[str, Any]:
    """What read_market left on a DataFrame (oi_unit, warmup_rows, notices)."""
    return dict(getattr(market, "attrs", {}) or {})


def column_list(values: Any) -> List[str]:
    if isinstance(values, (str, bytes)) or hasattr(values, "__fspath__"):
        return [str(values)]
    return [str(v) for v in values]
