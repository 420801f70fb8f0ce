"""liqmap: liquidation heatmaps for crypto perpetual futures, over the engine's C API (ctypes).

    import liqmap
    market = liqmap.synthetic_market(steps=2000)            # or a dict of arrays / a DataFrame
    result = liqmap.compute(market, {"grid": {"price_bins": 512}}, backend="cpu")
    result.heatmap                 # NumPy (price_bins, columns), row 0 = lowest price
    result.clusters["peaks"][:3]   # the largest clusters at the last column

Errors raise LiqmapError, which carries the engine's message and status.
"""
import ctypes
import enum
import json

import numpy as np

from . import _native

__all__ = ["Status", "LiqmapError", "Engine", "Result", "compute", "synthetic_market",
           "demo_config", "version", "library_path"]

_lib = _native.load()


class Status(enum.IntEnum):
    """liqmap_status of liqmap.h."""
    OK = 0
    INVALID_ARGUMENT = 1
    CONFIG = 2
    INPUT = 3
    IO = 4
    OUT_OF_MEMORY = 5
    DEVICE = 6
    CANCELLED = 7
    INTERNAL = 8
    BUFFER_TOO_SMALL = 9
    INVALID_HANDLE = 10
    NO_MARKET = 11
    NO_RESULT = 12


class LiqmapError(Exception):
    """A failed call: `status` (a Status) and `message` (the engine's words)."""

    def __init__(self, status, message):
        self.status = Status(status)
        self.message = message
        super().__init__(f"{message} [{self.status.name.lower()}]")


def _check(status):
    if status != Status.OK:
        raise LiqmapError(status, _lib.liqmap_last_error().decode("utf-8", "replace"))


def version():
    """The version of the loaded library, "MAJOR.MINOR.PATCH"."""
    return _lib.liqmap_version().decode()


def library_path():
    """The path of the libliqmap the package loaded."""
    return _lib.path


_BACKENDS = {"auto": 0, "cpu": 1, "cuda": 2}
_SIDES = ("above", "below")
_BIASES = ("balanced", "dominant_above", "dominant_below")
_LONG, _SHORT, _TOTAL = 0, 1, 2  # liqmap_grid_side
_RAW, _SMOOTHED = 0, 1  # liqmap_grid_stage
_PRICE_EDGES, _PRICE_CENTRES, _LIQUIDATED_LONG, _LIQUIDATED_SHORT = 0, 1, 2, 3  # liqmap_series
_SHORT_ABOVE, _LONG_BELOW = 0, 1  # liqmap_cluster_curve
_REQUIRED = ("ts", "open", "high", "low", "close")
_OPTIONAL = ("volume", "oi", "long_share")


def _fetch(function, dtype, *args):
    """Calls a query-size getter twice (size, then data) and returns a NumPy array."""
    count = ctypes.c_size_t(0)
    _check(function(*args, None, 0, ctypes.byref(count)))
    out = np.empty(count.value, dtype=dtype)
    pointer = out.ctypes.data_as(ctypes.POINTER(np.ctypeslib.as_ctypes_type(dtype)))
    _check(function(*args, pointer, out.size, ctypes.byref(count)))
    return out


def _fetch_text(function, *args):
    count = ctypes.c_size_t(0)
    _check(function(*args, None, 0, ctypes.byref(count)))
    buffer = ctypes.create_string_buffer(count.value)
    _check(function(*args, buffer, count.value, ctypes.byref(count)))
    return buffer.value.decode()


def _fetch_structs(function, struct, *args):
    count = ctypes.c_size_t(0)
    _check(function(*args, None, 0, ctypes.byref(count)))
    array = (struct * count.value)()
    _check(function(*args, array, count.value, ctypes.byref(count)))
    return list(array)


def _versioned(struct):
    value = struct()
    value.size = ctypes.sizeof(struct)
    return value


def _column_names(market):
    if hasattr(market, "columns"):  # a pandas DataFrame
        return [str(c) for c in market.columns]
    return list(market.keys())


def _timestamps_ms(values):
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[ms]").astype(np.int64)
    if np.issubdtype(values.dtype, np.floating) and not np.all(values == np.round(values)):
        raise LiqmapError(Status.INVALID_ARGUMENT,
                          "column 'ts' must hold whole milliseconds since the Unix epoch")
    return np.ascontiguousarray(values, dtype=np.int64)


def _market_arrays(market):
    """{name: contiguous array} from a dict of arrays or a DataFrame, with lengths checked.
    A DataFrame may carry the timestamps as a DatetimeIndex instead of a 'ts' column."""
    names = _column_names(market)
    unknown = sorted(set(names) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise LiqmapError(Status.INVALID_ARGUMENT,
                          f"unknown market columns {unknown}: allowed are "
                          f"{list(_REQUIRED + _OPTIONAL)}")
    columns = {name: market[name] for name in names}
    index = getattr(market, "index", None)
    if "ts" not in columns and index is not None and np.issubdtype(np.asarray(index).dtype,
                                                                    np.datetime64):
        columns["ts"] = np.asarray(index)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise LiqmapError(Status.INVALID_ARGUMENT, f"the market lacks the columns {missing}")
    arrays = {"ts": _timestamps_ms(columns["ts"])}
    for name in _REQUIRED[1:] + _OPTIONAL:
        if name in columns:
            arrays[name] = np.ascontiguousarray(columns[name], dtype=np.float64)
    length = arrays["ts"].size
    for name, values in arrays.items():
        if values.ndim != 1 or values.size != length:
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              f"column '{name}' has shape {values.shape}; 'ts' has {length} "
                              f"values and every column must have as many")
    return arrays


def synthetic_market(steps=10080, seed=1):
    """The engine's built-in synthetic market (one-minute bars) as a dict of NumPy arrays."""
    ts = np.empty(steps, dtype=np.int64)
    columns = {name: np.empty(steps) for name in ("open", "high", "low", "close", "volume", "oi")}
    pointers = [columns[n].ctypes.data_as(_native.c_double_p)
                for n in ("open", "high", "low", "close", "volume", "oi")]
    _check(_lib.liqmap_synthetic_market(steps, seed, ts.ctypes.data_as(_native.c_int64_p),
                                        *pointers))
    return {"ts": ts, **columns}


def demo_config():
    """The configuration of the CLI's demo (five venues), as a dict."""
    return json.loads(_fetch_text(_lib.liqmap_demo_config))


class Result:
    """One run: grids as NumPy arrays of shape (price_bins, columns), row 0 = lowest price."""

    def __init__(self, engine):
        handle = engine._handle
        axes = _versioned(_native.Axes)
        _check(_lib.liqmap_engine_get_axes(handle, ctypes.byref(axes)))
        shape = (axes.price_bins, axes.columns)

        def grid(side, stage):
            return _fetch(_lib.liqmap_engine_get_grid, np.float64, handle, side, stage).reshape(
                shape)

        def series(which):
            return _fetch(_lib.liqmap_engine_get_series, np.float64, handle, which)

        self.raw_long, self.raw_short = grid(_LONG, _RAW), grid(_SHORT, _RAW)
        self.smooth_long, self.smooth_short = grid(_LONG, _SMOOTHED), grid(_SHORT, _SMOOTHED)
        # The engine's own sums, so they match heatmap.npy and the C API bit for bit.
        self.heatmap, self.raw_total = grid(_TOTAL, _SMOOTHED), grid(_TOTAL, _RAW)
        self.price_edges = series(_PRICE_EDGES)
        self.price_centres = series(_PRICE_CENTRES)
        self.liquidated_long = series(_LIQUIDATED_LONG)
        self.liquidated_short = series(_LIQUIDATED_SHORT)
        self.column_ts = _fetch(_lib.liqmap_engine_get_column_ts, np.int64, handle)
        self.price_scale = "log" if axes.price_scale == 1 else "linear"
        self.steps = axes.steps
        self.stats = json.loads(_fetch_text(_lib.liqmap_engine_get_stats_json, handle))
        self.clusters = engine.clusters()

    @property
    def shape(self):
        return self.heatmap.shape


def _peak_dict(peak):
    return {"bin": peak.bin, "price": peak.price, "value_usd": peak.value_usd,
            "prominence": peak.prominence, "side": _SIDES[peak.side],
            "distance_pct": peak.distance_pct}


class Engine:
    """An engine handle. Use as a context manager, or call close(); closing twice is harmless.
    One engine per thread; engines are independent."""

    def __init__(self, config=None):
        handle = _native.c_engine_p()
        _check(_lib.liqmap_engine_create(ctypes.byref(handle)))
        self._handle = handle
        if config is not None:
            self.set_config(config)

    def close(self):
        handle, self._handle = self._handle, None  # forget it first: never freed twice
        if handle is not None:
            _check(_lib.liqmap_engine_free(handle))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            _lib.liqmap_engine_free(self._handle)
            self._handle = None

    def set_config(self, config):
        """A dict, a JSON string, or None for the defaults (MODEL.md section 8)."""
        text = None if config is None else (config if isinstance(config, str)
                                            else json.dumps(config))
        _check(_lib.liqmap_engine_set_config(self._handle,
                                             None if text is None else text.encode()))

    def config(self):
        """The configuration in effect, as a dict."""
        return json.loads(_fetch_text(_lib.liqmap_engine_get_config, self._handle))

    def set_market(self, market):
        """A dict of arrays or a pandas DataFrame: ts, open, high, low, close required;
        volume, oi, long_share optional. The engine copies the values."""
        arrays = _market_arrays(market)
        view = _versioned(_native.Market)
        view.length = arrays["ts"].size
        view.ts = arrays["ts"].ctypes.data_as(_native.c_int64_p)
        for name, values in arrays.items():
            if name != "ts":
                setattr(view, name, values.ctypes.data_as(_native.c_double_p))
        _check(_lib.liqmap_engine_set_market(self._handle, ctypes.byref(view)))

    def compute(self, backend="auto", threads=0, progress=None):
        """Runs the model; returns a Result. `progress(fraction)` may return False to cancel
        (LiqmapError with Status.CANCELLED)."""
        if backend not in _BACKENDS:
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              f"unknown backend {backend!r}: allowed are {list(_BACKENDS)}")
        options = _lib.liqmap_run_options_default()
        options.backend = _BACKENDS[backend]
        options.threads = threads
        raised = []
        if progress is not None:
            def forward(fraction, _user_data):
                try:
                    return 0 if progress(fraction) is not False else 1
                except BaseException as e:  # no exception may unwind through C: stop the run
                    raised.append(e)
                    return 1
            options.progress = _native.PROGRESS_FN(forward)
        status = _lib.liqmap_engine_compute(self._handle, ctypes.byref(options))
        if raised:
            raise raised[0]
        _check(status)
        return Result(self)

    def clusters(self, column=None):
        """Clusters (MODEL.md section 7) at `column` (negative counts from the end; None: the
        configuration's clusters.column) of the last result, as a dict."""
        if column is not None:
            _check(_lib.liqmap_engine_extract_clusters(self._handle, column))
        summary = _versioned(_native.ClusterSummary)
        _check(_lib.liqmap_engine_get_cluster_summary(self._handle, ctypes.byref(summary)))
        peaks = _fetch_structs(_lib.liqmap_engine_get_peaks, _native.Peak, self._handle)
        zones = []
        for index, zone in enumerate(_fetch_structs(_lib.liqmap_engine_get_zones, _native.Zone,
                                                    self._handle)):
            inside = _fetch(_lib.liqmap_engine_get_zone_peaks, np.uintp, self._handle, index)
            zones.append({"first_bin": zone.first_bin, "last_bin": zone.last_bin,
                          "price_low": zone.price_low, "price_high": zone.price_high,
                          "notional_usd": zone.notional_usd,
                          "peaks": [int(i) for i in inside], "stacked": bool(zone.stacked)})

        def curve(which):
            return _fetch(_lib.liqmap_engine_get_cluster_curve, np.float64, self._handle, which)

        return {
            "column": summary.column, "ts": summary.ts, "price": summary.price,
            "peaks": [_peak_dict(p) for p in peaks],
            "zones": zones,
            "summary": {
                "above_usd": summary.above_usd, "below_usd": summary.below_usd,
                "asymmetry": summary.asymmetry, "bias": _BIASES[summary.bias],
                "largest_above": (_peak_dict(summary.largest_above)
                                  if summary.has_largest_above else None),
                "largest_below": (_peak_dict(summary.largest_below)
                                  if summary.has_largest_below else None),
            },
            "cumulative_short_above": curve(_SHORT_ABOVE),
            "cumulative_long_below": curve(_LONG_BELOW),
        }


def compute(market, config=None, backend="auto", threads=0, progress=None):
    """A map of `market` (dict of arrays or DataFrame) with `config` (dict, JSON text or None
    for the defaults) on `backend` ("auto", "cpu", "cuda") with `threads` (0 = all)."""
    with Engine(config) as engine:
        engine.set_market(market)
        return engine.compute(backend, threads, progress)
