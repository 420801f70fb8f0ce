"""Engines, markets (arrays, DataFrames, files) and compute()."""
import ctypes
import json
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Optional, Union

import numpy as np

from . import _native
from ._errors import LiqmapError, Status, check, fetch, fetch_text, lib, versioned
from ._market import attrs_of, column_list, market_arrays, time_ms

if TYPE_CHECKING:
    import pandas

    from ._result import Result

Config = Union[None, str, "os.PathLike[str]", Dict[str, Any]]
PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Iterable[PathLike]]
ProgressFn = Callable[[float], Optional[bool]]

BACKENDS = {"auto": 0, "cpu": 1, "cuda": 2}
# LIQMAP_MAX_THREADS of liqmap.h: the most CPU threads a run takes.
MAX_THREADS = 1024
SIDES = ("above", "below")
BIASES = ("balanced", "dominant_above", "dominant_below")
SHORT_ABOVE, LONG_BELOW = 0, 1  # liqmap_cluster_curve
MARKET_COLUMNS = ("open", "high", "low", "close", "volume", "oi", "long_share")  # liqmap_market_column


def _encoded(paths: Paths) -> Any:
    names = column_list(paths)
    return (ctypes.c_char_p * max(len(names), 1))(*[os.fsencode(p) for p in names]), len(names)


def _peak_dict(peak: Any) -> Dict[str, Any]:
    return {"bin": peak.bin, "price": peak.price, "value_usd": peak.value_usd,
            "prominence": peak.prominence, "side": SIDES[peak.side],
            "distance_pct": peak.distance_pct}


class Engine:
    """An engine handle: a configuration, a market and the last result. Use as a context
    manager, or call close(); closing twice is harmless. One engine per thread."""

    def __init__(self, config: Config = None) -> None:
        handle = _native.c_engine_p()
        check(lib.liqmap_engine_create(ctypes.byref(handle)))
        self._handle = handle
        if config is not None:
            self.set_config(config)

    def close(self) -> None:
        handle, self._handle = self._handle, None  # forget it first: never freed twice
        if handle is not None:
            check(lib.liqmap_engine_free(handle))

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            lib.liqmap_engine_free(self._handle)
            self._handle = None

    def set_config(self, config: Config) -> None:
        """A dict, JSON text, the path of a JSON file (as `--config`), or None for the defaults
        (MODEL.md section 8)."""
        text = None if config is None else (_config_file_text(config) if _is_config_path(config)
                                            else config if isinstance(config, str)
                                            else json.dumps(config))
        check(lib.liqmap_engine_set_config(self._handle, None if text is None else text.encode()))

    def config(self) -> Dict[str, Any]:
        """The configuration in effect, as a dict."""
        return json.loads(fetch_text(lib.liqmap_engine_get_config, self._handle))

    def set_market(self, market: Any, oi_unit: Optional[str] = None,
                   drop_bad_rows: bool = False, warmup_days: Optional[float] = None,
                   name: Optional[str] = None) -> None:
        """A dict of arrays or a pandas DataFrame (see liqmap.compute). The engine copies the
        values and reads them with the rules of a file (liqmap_engine_load_market): times,
        row rules, order and duplicates, open interest missing (NaN) before its first value as
        the warm-up, and the unit of open interest (`oi_unit`, else what the column names or
        read_market said, checked against the data, else what the data shows); notices()
        says what was done. Then the CLI's defaults (the volume half-life)."""
        view, options, _keep = _market_view(market, oi_unit, drop_bad_rows, warmup_days, name)
        check(lib.liqmap_engine_load_market(self._handle, ctypes.byref(view), ctypes.byref(options)))

    def read_market(self, paths: Paths, oi: Paths = (), format: str = "auto",
                    oi_unit: Optional[str] = None, drop_bad_rows: bool = False,
                    warmup_days: Optional[float] = None) -> None:
        """Reads files with the CLI's readers (as `liqmap compute --market ... --oi ...`)."""
        options = lib.liqmap_read_options_default()
        options.format = format.encode()
        options.oi_unit = None if oi_unit is None else oi_unit.encode()
        options.drop_bad_rows = int(bool(drop_bad_rows))
        options.warmup_days = -1.0 if warmup_days is None else float(warmup_days)
        candles, candle_count = _encoded(paths)
        oi_files, oi_count = _encoded(oi)
        check(lib.liqmap_engine_read_market(self._handle, candles, candle_count, oi_files,
                                            oi_count, ctypes.byref(options)))

    def notices(self) -> Dict[str, Any]:
        """What the last read or market defaults did: notices, oi_unit, warmup_rows."""
        return json.loads(fetch_text(lib.liqmap_engine_get_notices, self._handle))

    def market_frame(self) -> "pandas.DataFrame":
        """The engine's market as a DataFrame (DatetimeIndex 'ts' in UTC)."""
        import pandas as pd
        ts = fetch(lib.liqmap_engine_get_market_ts, np.int64, self._handle)
        data = {}
        for index, name in enumerate(MARKET_COLUMNS):
            values = fetch(lib.liqmap_engine_get_market_column, np.float64, self._handle, index)
            if values.size:
                data[name] = values
        frame = pd.DataFrame(data, index=pd.DatetimeIndex(pd.to_datetime(ts, unit="ms", utc=True),
                                                          name="ts"))
        notices = self.notices()
        frame.attrs.update(notices)
        if notices["warmup_rows"]:
            frame.attrs["warmup_until_ms"] = int(ts[notices["warmup_rows"]])
        return frame

    def run_row(self, row: Dict[str, Any], backend: str = "auto", threads: int = 0,
                base_dir: Optional[str] = None) -> None:
        """A row of a `liqmap batch` manifest (market, oi, config, from, to, out, ...) run as
        `liqmap batch` runs it, by the engine's own map job (liqmap_engine_run_row): the files
        are written into the row's `out` and the result stays in the engine. Relative paths are
        read from `base_dir` (default: the current folder)."""
        options = _run_options(backend, threads)
        text = json.dumps(row, default=os.fspath)
        check(lib.liqmap_engine_run_row(self._handle, text.encode(),
                                        None if base_dir is None else os.fsencode(base_dir),
                                        ctypes.byref(options)))

    def compute(self, backend: str = "auto", threads: int = 0,
                progress: Optional[ProgressFn] = None, from_: Any = None, to: Any = None) -> None:
        """Runs the model (the result stays in the engine; liqmap.compute wraps it in a Result).
        `progress(fraction)` may return False to cancel (LiqmapError, Status.CANCELLED).
        `from_` / `to` (times) keep only the window's bars, as `liqmap compute --from --to`."""
        options = _run_options(backend, threads)
        raised = []
        if progress is not None:
            def forward(fraction: float, _user_data: Any) -> int:
                try:
                    return 0 if progress(fraction) is not False else 1
                except BaseException as e:  # no exception may unwind through C: stop the run
                    raised.append(e)
                    return 1
            options.progress = _native.PROGRESS_FN(forward)
        if from_ is None and to is None:
            status = lib.liqmap_engine_compute(self._handle, ctypes.byref(options))
        else:  # the times as the CLI reads --from/--to
            bounds = [None if t is None else ctypes.byref(ctypes.c_int64(time_ms(t, name)))
                      for t, name in ((from_, "from_"), (to, "to"))]
            status = lib.liqmap_engine_compute_window(self._handle, ctypes.byref(options), *bounds)
        if raised:
            raise raised[0]
        check(status)

    def append(self, market: Any, provisional: bool = False, backend: str = "cpu",
               threads: int = 0, drop_bad_rows: bool = False) -> None:
        """New bars after the market's (a DataFrame or dict of arrays with the market's
        columns) make the result the live map of all of them (liqmap_engine_append, docs/model.md
        section 10): the first append keeps the model of the market so far, each later one costs
        the new bars only. `provisional`: the last bar is still forming; the next append
        replaces it. config() then gives the pinned configuration a full compute agrees with."""
        view, options, _keep = _market_view(market, None, drop_bad_rows, None,
                                            "the appended DataFrame" if hasattr(market, "columns")
                                            else "the appended arrays")
        run = _run_options(backend, threads)
        check(lib.liqmap_engine_append(self._handle, ctypes.byref(view), ctypes.byref(options),
                                       int(bool(provisional)), ctypes.byref(run)))

    def clusters(self, column: Optional[int] = None) -> Dict[str, Any]:
        """Clusters (MODEL.md section 7) of the last result at `column` (negative counts from the
        end; None: the configuration's clusters.column), as the C API gives them."""
        if column is not None:
            check(lib.liqmap_engine_extract_clusters(self._handle, column))
        summary = versioned(_native.ClusterSummary)
        check(lib.liqmap_engine_get_cluster_summary(self._handle, ctypes.byref(summary)))
        from ._errors import fetch_structs
        peaks = fetch_structs(lib.liqmap_engine_get_peaks, _native.Peak, self._handle)
        zones = []
        for index, zone in enumerate(fetch_structs(lib.liqmap_engine_get_zones, _native.Zone,
                                                   self._handle)):
            inside = fetch(lib.liqmap_engine_get_zone_peaks, np.uintp, self._handle, index)
            zones.append({"first_bin": zone.first_bin, "last_bin": zone.last_bin,
                          "price_low": zone.price_low, "price_high": zone.price_high,
                          "notional_usd": zone.notional_usd,
                          "peaks": [int(i) for i in inside], "stacked": bool(zone.stacked)})

        def curve(which: int) -> np.ndarray:
            return fetch(lib.liqmap_engine_get_cluster_curve, np.float64, self._handle, which)

        return {
            "column": summary.column, "ts": summary.ts, "price": summary.price,
            "peaks": [_peak_dict(p) for p in peaks], "zones": zones,
            "summary": {
                "above_usd": summary.above_usd, "below_usd": summary.below_usd,
                "asymmetry": summary.asymmetry, "bias": BIASES[summary.bias],
                "largest_above": (_peak_dict(summary.largest_above)
                                  if summary.has_largest_above else None),
                "largest_below": (_peak_dict(summary.largest_below)
                                  if summary.has_largest_below else None),
            },
            "cumulative_short_above": curve(SHORT_ABOVE),
            "cumulative_long_below": curve(LONG_BELOW),
        }


def _is_config_path(config: Any) -> bool:
    """A path, or text that is no JSON object: "fitted.json" is a file, never JSON text."""
    return isinstance(config, os.PathLike) or (isinstance(config, str) and config.strip() != ""
                                               and not config.lstrip().startswith("{"))


def _config_file_text(config: Any) -> str:
    path = os.fspath(config)
    if not os.path.isfile(path):
        raise LiqmapError(Status.CONFIG, f"config {path!r} is neither JSON text (which starts with "
                                         "'{') nor a file that can be read")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
    except ValueError:
        return text  # the engine names what is wrong with it
    # A config's venue files are named from its own folder, as `liqmap compute --config` reads them.
    folder = os.path.dirname(os.path.abspath(path))
    for venue in doc.get("venues", []) if isinstance(doc, dict) else []:
        for key in ("market", "oi"):
            names = venue.get(key) if isinstance(venue, dict) else None
            if isinstance(names, str):
                names = [names]
            if isinstance(names, list):
                venue[key] = [os.path.join(folder, n) if isinstance(n, str) and n != "-" and
                              not os.path.isabs(n) else n for n in names]
    return json.dumps(doc)


# The window's bounds as users type them: `from` is a Python keyword, hence from_.
_WINDOW_ALIASES = {"from": "from_", "start": "from_", "since": "from_", "end": "to", "until": "to"}


def _market_view(market: Any, oi_unit: Optional[str], drop_bad_rows: bool,
                 warmup_days: Optional[float], name: Optional[str]) -> Any:
    """liqmap_market and liqmap_load_options of a DataFrame or dict of arrays (and the arrays
    they point into, to keep alive for the call)."""
    got = market_arrays(market)
    attrs = attrs_of(market)
    view = versioned(_native.Market)
    view.length = got.length
    options = lib.liqmap_load_options_default()
    if name is None:
        name = "the DataFrame" if hasattr(market, "columns") else "the market arrays"
    options.name = name.encode()
    options.drop_bad_rows = int(bool(drop_bad_rows))
    options.warmup_days = -1.0 if warmup_days is None else float(warmup_days)
    if got.times.kind == "text":
        options.ts_text = got.times.values
        options.ts_text_length = len(got.times.values)
    else:
        ts = got.times.values
        view.ts = ts.ctypes.data_as(_native.c_int64_p)
        options.ts_epoch_any = int(got.times.kind == "epoch")
    # Kept as a time, not a count: a sliced frame keeps its attrs.
    if attrs.get("warmup_until_ms") is not None:
        options.has_warmup_until = 1
        options.warmup_until_ms = int(attrs["warmup_until_ms"])
    for column, values in got.arrays.items():
        setattr(view, column, values.ctypes.data_as(_native.c_double_p))
    if oi_unit is not None:
        options.oi_unit = oi_unit.encode()
    elif got.oi_unit is not None:
        options.oi_unit = got.oi_unit.encode()
        options.oi_unit_source = f"column name '{got.oi_column}'".encode()
    elif attrs.get("oi_unit") is not None and "oi" in got.arrays:
        options.oi_unit = str(attrs["oi_unit"]).encode()
        options.oi_unit_source = b"oi_unit of the DataFrame's attrs (read_market)"
    return view, options, got


def _run_options(backend: str, threads: int) -> Any:
    """liqmap_run_options for `backend` (auto, cpu, cuda) and `threads` (0: all)."""
    if backend not in BACKENDS:
        raise LiqmapError(Status.INVALID_ARGUMENT,
                          f"unknown backend {backend!r}: allowed are {list(BACKENDS)}")
    # Checked here: ctypes would cut a large int to 32 bits before the C API saw it.
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= MAX_THREADS:
        raise LiqmapError(Status.INVALID_ARGUMENT,
                          f"threads is {threads!r}; use 0 (all) to {MAX_THREADS} CPU threads")
    options = lib.liqmap_run_options_default()
    options.backend = BACKENDS[backend]
    options.threads = threads
    return options


def _is_path_input(market: Any) -> bool:
    return isinstance(market, (str, bytes, os.PathLike)) or (
        isinstance(market, (list, tuple)) and market and
        all(isinstance(m, (str, os.PathLike)) for m in market))


def read_market(paths: Paths, oi: Paths = (), format: str = "auto", oi_unit: Optional[str] = None,
                drop_bad_rows: bool = False, warmup_days: Optional[float] = None,
                config: Config = None) -> "pandas.DataFrame":
    """Candle files (and open-interest files, joined as-of with no look-ahead) read by the
    engine's own readers, as `liqmap compute --market PATHS --oi OI` reads them: generic CSV,
    Binance klines and metrics, .zip archives, globs. Errors name file, line and column.

    Returns a pandas DataFrame with a UTC DatetimeIndex 'ts' and the columns open, high, low,
    close (+ volume, oi, long_share when present); `attrs` holds oi_unit, warmup_rows, the
    coin's symbol and the readers' notices, which compute() uses (the warm-up rows are those before
    warmup_until_ms). `config` supplies flow.warmup_days and the schedules the files' coin is
    checked against."""
    with Engine(config) as engine:
        engine.read_market(paths, oi, format, oi_unit, drop_bad_rows, warmup_days)
        return engine.market_frame()


def compute(market: Any, config: Config = None, oi: Paths = (), backend: str = "auto",
            threads: int = 0, progress: Optional[ProgressFn] = None, from_: Any = None,
            to: Any = None, **read_options: Any) -> "Result":
    """A map of `market` with `config` (dict, JSON text or None for the defaults).

    `market` is a DataFrame (from read_market or pd.read_csv: a DatetimeIndex or a time column
    ts / timestamp / open_time / time; tz-aware or naive UTC; ISO strings or epoch s/ms/µs/ns;
    other columns ignored), a dict of arrays, or file path(s) read as read_market reads them
    (with `oi` files and read_options). Returns a Result; the engine's defaults for open
    interest units and the volume half-life are those of `liqmap compute`."""
    from ._result import Result
    for alias, name in _WINDOW_ALIASES.items():
        if alias in read_options:
            given = read_options.pop(alias)
            if (from_ if name == "from_" else to) is not None:
                raise LiqmapError(Status.INVALID_ARGUMENT,
                                  f"{alias}= and {name}= both give the window's bound; give one")
            if name == "from_":
                from_ = given
            else:
                to = given
    from_files = _is_path_input(market)
    if not from_files:
        if not (oi is None or isinstance(oi, (str, bytes, list, tuple)) and len(oi) == 0):
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              "oi= names open-interest files for candle files; a DataFrame or dict "
                              "carries its own 'oi' column (join it first, e.g. pd.merge_asof)")
        for_files = sorted(set(read_options) - {"oi_unit", "drop_bad_rows", "warmup_days"})
        if for_files:
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              f"{', '.join(for_files)} apply to files; a DataFrame or dict takes "
                              "oi_unit, drop_bad_rows and warmup_days")
    symbol = None if from_files else attrs_of(market).get("symbol")
    # The coin read_market found in the file names picks the schedules, as it does for files.
    engine = Engine(_with_symbol(config, symbol) if symbol else config)
    try:
        if from_files:
            engine.read_market(market, oi, **read_options)
        else:
            engine.set_market(market, **read_options)
        engine.compute(backend, threads, progress, from_, to)
    except BaseException:
        engine.close()
        raise
    return Result(engine)


def _with_symbol(config: Config, symbol: str) -> Dict[str, Any]:
    """`config` as a dict with `symbol` unless it names one itself."""
    if _is_config_path(config):
        config = _config_file_text(config)
    as_dict = ({} if config is None or config == "" else json.loads(config) if isinstance(config, str)
               else dict(config))
    as_dict.setdefault("symbol", symbol)
    return as_dict


def synthetic_market(steps: int = 10080, seed: int = 1) -> Dict[str, np.ndarray]:
    """The engine's built-in synthetic market (one-minute bars) as a dict of NumPy arrays."""
    ts = np.empty(steps, dtype=np.int64)
    names = ("open", "high", "low", "close", "volume", "oi")
    columns = {name: np.empty(steps) for name in names}
    pointers = [columns[n].ctypes.data_as(_native.c_double_p) for n in names]
    check(lib.liqmap_synthetic_market(steps, seed, ts.ctypes.data_as(_native.c_int64_p),
                                      *pointers))
    return {"ts": ts, **columns}


def demo_config() -> Dict[str, Any]:
    """The configuration of the CLI's demo (five venues), as a dict."""
    return json.loads(fetch_text(lib.liqmap_demo_config))


def version() -> str:
    """The version of the loaded library, "MAJOR.MINOR.PATCH"."""
    return lib.liqmap_version().decode()


def library_path() -> str:
    """The path of the libliqmap the package loaded."""
    return lib.path
