"""Result: one map, its grids fetched from the engine on first use as float32, and the CLI's
outputs (clusters.json, review.md, the output folder) built by the engine's own writers."""
import ctypes
import functools
import json
import os
from typing import Any, Dict, Optional, Union

import numpy as np

from . import _native
from ._engine import Engine, MARKET_COLUMNS
from ._errors import LiqmapError, Status, check, fetch, fetch_bytes, fetch_text, lib, versioned

_SIDES = {"long": 0, "short": 1, "total": 2}  # liqmap_grid_side
_STAGES = {"raw": 0, "smoothed": 1}  # liqmap_grid_stage
_PRICE_EDGES, _PRICE_CENTRES, _LIQUIDATED_LONG, _LIQUIDATED_SHORT = 0, 1, 2, 3  # liqmap_series

TimeLike = Union[int, str, np.datetime64, Any]  # a column index, or a time (pd.Timestamp, ISO)


class Result:
    """One run. Grids have shape (price_bins, columns), row 0 = the lowest price, and are fetched
    from the engine the first time they are asked for, as float32 (`grid()` gives float64).
    The result keeps its engine (and so the engine's own grids) until it is garbage-collected
    or close() is called."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        handle = engine._handle
        axes = versioned(_native.Axes)
        check(lib.liqmap_engine_get_axes(handle, ctypes.byref(axes)))
        self.shape = (int(axes.price_bins), int(axes.columns))
        self.steps = int(axes.steps)
        self.price_scale = "log" if axes.price_scale == 1 else "linear"
        self.price_edges = self._series(_PRICE_EDGES)
        self.price_centres = self._series(_PRICE_CENTRES)
        self.liquidated_long = self._series(_LIQUIDATED_LONG)
        self.liquidated_short = self._series(_LIQUIDATED_SHORT)
        self.column_ts = fetch(lib.liqmap_engine_get_column_ts, np.int64, handle)
        self.stats: Dict[str, Any] = json.loads(fetch_text(lib.liqmap_engine_get_stats_json,
                                                           handle))
        self.notices = engine.notices()["notices"]
        market_ts = fetch(lib.liqmap_engine_get_market_ts, np.int64, handle)
        self.market_ts = market_ts
        close = fetch(lib.liqmap_engine_get_market_column, np.float64, handle,
                      MARKET_COLUMNS.index("close"))
        self.column_close = close[np.searchsorted(market_ts, self.column_ts)]

    def _series(self, which: int) -> np.ndarray:
        return fetch(lib.liqmap_engine_get_series, np.float64, self._handle, which)

    @property
    def _handle(self) -> Any:
        if self._engine._handle is None:
            raise LiqmapError(Status.INVALID_HANDLE, "the result was closed")
        return self._engine._handle

    def append(self, market: Any, provisional: bool = False, backend: str = "cpu",
               threads: int = 0) -> "Result":
        """The live map with new bars appended (Engine.append): a new Result on the same
        engine; this one keeps the grids it fetched already. Costs the new bars, not the
        history, from the second append on."""
        self._engine.append(market, provisional=provisional, backend=backend, threads=threads)
        return Result(self._engine)

    def close(self) -> None:
        """Frees the engine and its grids now (grids fetched already stay usable)."""
        self._engine.close()

    def __repr__(self) -> str:
        first, last = (np.datetime64(int(t), "ms") for t in self.column_ts[[0, -1]])
        return (f"<liqmap.Result {self.shape[0]} price bins x {self.shape[1]} columns, "
                f"{first}..{last}, price {self.price_edges[0]:.6g}..{self.price_edges[-1]:.6g} "
                f"({self.price_scale}), flow {self.stats.get('flow_source')}, "
                f"{self.stats.get('backend')} in {self.stats.get('total_seconds', 0):.3g} s>")

    # ---- grids -------------------------------------------------------------------------------

    def grid(self, side: str = "total", stage: str = "smoothed",
             dtype: Any = np.float32) -> np.ndarray:
        """A fresh copy of one grid: side long | short | total, stage raw | smoothed, dtype
        float32 (half the memory) or float64 (the engine's values exactly)."""
        if side not in _SIDES or stage not in _STAGES:
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              f"grid({side!r}, {stage!r}): side is one of {list(_SIDES)}, "
                              f"stage one of {list(_STAGES)}")
        if np.dtype(dtype) == np.float32:
            getter = lib.liqmap_engine_get_grid_f32
        elif np.dtype(dtype) == np.float64:
            getter = lib.liqmap_engine_get_grid
        else:
            raise LiqmapError(Status.INVALID_ARGUMENT, f"dtype {dtype} is not float32 or float64")
        values = fetch(getter, np.dtype(dtype), self._handle, _SIDES[side], _STAGES[stage])
        return values.reshape(self.shape)

    @functools.cached_property
    def heatmap(self) -> np.ndarray:
        """The smoothed total (float32), what heatmap.npy holds."""
        return self.grid("total", "smoothed")

    @functools.cached_property
    def smooth_long(self) -> np.ndarray:
        return self.grid("long", "smoothed")

    @functools.cached_property
    def smooth_short(self) -> np.ndarray:
        return self.grid("short", "smoothed")

    @functools.cached_property
    def raw_long(self) -> np.ndarray:
        return self.grid("long", "raw")

    @functools.cached_property
    def raw_short(self) -> np.ndarray:
        return self.grid("short", "raw")

    @functools.cached_property
    def raw_total(self) -> np.ndarray:
        return self.grid("total", "raw")

    @property
    def times(self) -> Any:
        """The columns' times as a UTC pandas DatetimeIndex."""
        import pandas as pd
        return pd.DatetimeIndex(pd.to_datetime(self.column_ts, unit="ms", utc=True), name="ts")

    # ---- clusters ----------------------------------------------------------------------------

    @functools.cached_property
    def clusters(self) -> Dict[str, Any]:
        """The C API's clusters at the configuration's column (a dict; see clusters_at)."""
        return self._engine.clusters()

    def column_of(self, at: TimeLike) -> int:
        """A column index: an int is one already (negative counts from the end); a time (ISO
        text, datetime, pd.Timestamp, epoch ms) gives the last column at or before it."""
        if isinstance(at, (int, np.integer)):
            column = int(at) + (self.shape[1] if at < 0 else 0)
            if not 0 <= column < self.shape[1]:
                raise LiqmapError(Status.INVALID_ARGUMENT,
                                  f"column {at} is outside the {self.shape[1]} columns")
            return column
        from ._market import time_ms
        ms = time_ms(at, "at")
        column = int(np.searchsorted(self.column_ts, ms, side="right")) - 1
        if column < 0:
            raise LiqmapError(Status.INVALID_ARGUMENT,
                              f"{at} is before the first column ({np.datetime64(int(self.column_ts[0]), 'ms')})")
        return column

    def _output_options(self, at: Optional[TimeLike], outputs: str = "all",
                        grid_type: str = "float32") -> Any:
        options = lib.liqmap_output_options_default()
        options.outputs = outputs.encode()
        options.grid_type = grid_type.encode()
        if at is not None:
            options.has_at = 1
            options.at_ts = int(self.column_ts[self.column_of(at)])
        return options

    def output(self, name: str, at: Optional[TimeLike] = None) -> bytes:
        """The bytes of one of the CLI's report files (clusters.json, review.md, tracks.csv,
        prices.csv, heatmap.html, heatmap.png) as `liqmap compute` writes it."""
        options = self._output_options(at)
        return fetch_bytes(lib.liqmap_engine_get_output, self._handle, name.encode(),
                           ctypes.byref(options))

    def clusters_json(self, at: Optional[TimeLike] = None) -> Dict[str, Any]:
        """clusters.json at `at` (default: the configuration's column), as a dict."""
        return json.loads(self.output("clusters.json", at))

    def clusters_at(self, at: TimeLike = -1) -> Dict[str, Any]:
        """The clusters of clusters.json at a column index or a time, with its key names:
        peaks, zones, levels, tracks and cumulative as DataFrames; summary, column, ts, time,
        price and bin_width as they are."""
        import pandas as pd
        document = self.clusters_json(at)
        out: Dict[str, Any] = {}
        for key, value in document.items():
            if key == "cumulative":
                out[key] = pd.DataFrame(value)
            elif isinstance(value, list):
                out[key] = pd.DataFrame(value)
            else:
                out[key] = value
        return out

    def review(self, at: Optional[TimeLike] = None) -> str:
        """review.md: the plain-language review of the map, as the CLI writes it."""
        return self.output("review.md", at).decode()

    def save(self, directory: Union[str, "os.PathLike[str]"], outputs: str = "all",
             grid_type: str = "float32", at: Optional[TimeLike] = None) -> str:
        """Writes the CLI's output files into `directory` (replaced as a whole once every file
        is written, as `liqmap compute --out`); returns its path."""
        options = self._output_options(at, outputs, grid_type)
        path = os.fspath(directory)
        check(lib.liqmap_engine_write_outputs(self._handle, os.fsencode(path),
                                              ctypes.byref(options)))
        return path

    # ---- pandas, xarray, matplotlib ----------------------------------------------------------

    def backtest(self, **options: Any) -> Dict[str, Any]:
        """`liqmap backtest` on this map (options as liqmap.backtest); backtest.json as a dict."""
        from ._backtest import backtest
        return backtest(self, **options)

    def to_frame(self, columns: Optional[slice] = None, drop_zero: bool = False) -> Any:
        """Long form: one row per (column, price bin) with ts, price, long_usd, short_usd
        (smoothed, float32). `columns` (a slice) and `drop_zero` keep it small: the full
        demo-sized map has 20 million rows."""
        import pandas as pd
        columns = columns if columns is not None else slice(None)
        longs = self.smooth_long[:, columns]
        shorts = self.smooth_short[:, columns]
        ts = self.times[columns]
        bins, cols = longs.shape
        frame = pd.DataFrame({
            "ts": np.repeat(ts.to_numpy(), bins),
            "price": np.tile(self.price_centres, cols),
            "long_usd": longs.T.reshape(-1),
            "short_usd": shorts.T.reshape(-1),
        })
        if drop_zero:
            frame = frame[(frame["long_usd"] != 0) | (frame["short_usd"] != 0)].reset_index(drop=True)
        return frame

    @property
    def step_ts(self) -> np.ndarray:
        """The times (ms) of the steps drawn, one per liquidated_long/short value: the market's
        times cropped to the window (a from_/to window, or the default start after the warm-up),
        whose last step is the last column's."""
        n = len(self.liquidated_long)
        end = int(np.searchsorted(self.market_ts, self.column_ts[-1], side="right")) if len(self.column_ts) else n
        return self.market_ts[max(0, end - n):end]

    def to_xarray(self) -> Any:
        """An xarray Dataset: long_usd and short_usd (smoothed, float32) over (price, ts), with
        liquidated_long_usd / liquidated_short_usd per step and the close per column."""
        import xarray as xr
        market_times = np.asarray(self.step_ts, dtype="datetime64[ms]").astype("datetime64[ns]")
        return xr.Dataset(
            {"long_usd": (("price", "ts"), self.smooth_long),
             "short_usd": (("price", "ts"), self.smooth_short),
             "close": (("ts",), self.column_close),
             "liquidated_long_usd": (("step",), self.liquidated_long),
             "liquidated_short_usd": (("step",), self.liquidated_short)},
            coords={"price": self.price_centres,
                    "ts": self.column_ts.astype("datetime64[ms]").astype("datetime64[ns]"),
                    "step": market_times},
            attrs={"price_scale": self.price_scale, "flow_source": str(self.stats.get("flow_source"))})

    def plot(self, ax: Any = None, gamma: float = 0.6, cap_percentile: float = 99.5,
             cmap: str = "viridis", max_columns: int = 4000) -> Any:
        """The heatmap as heatmap.png draws it: viridis, colour = (value / cap) ** gamma with cap
        the percentile of the non-zero values, a colour bar in USD per price bin, the close, and
        dates that do not overlap (at most `max_columns` columns are drawn, every n-th).
        Returns the matplotlib Axes."""
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.colors import PowerNorm
        if ax is None:
            _, ax = plt.subplots(figsize=(12, 6))
        stride = max(1, -(-self.shape[1] // max_columns))
        values = self.heatmap[:, ::stride]
        nonzero = values[values > 0]
        cap = float(np.percentile(nonzero, cap_percentile)) if nonzero.size else 1.0
        times = mdates.date2num(self.times.tz_localize(None).to_pydatetime())
        log = self.price_scale == "log"
        low, high = self.price_edges[0], self.price_edges[-1]
        # Rows are equal steps of price (or of log price): an image spans them exactly.
        extent = (times[0], times[-1], np.log10(low) if log else low, np.log10(high) if log else high)
        image = ax.imshow(values, origin="lower", aspect="auto", extent=extent, cmap=cmap,
                          norm=PowerNorm(gamma, vmin=0, vmax=cap), interpolation="nearest")
        ax.plot(times, np.log10(self.column_close) if log else self.column_close, color="#ff3b4f",
                linewidth=0.8, label="close")
        width = self.price_edges[1] - self.price_edges[0]
        unit = "USD per {:.3g}% bin".format(100 * (self.price_edges[1] / self.price_edges[0] - 1)) if log \
            else "USD per ${:,.2f} bin".format(width)
        ax.figure.colorbar(image, ax=ax, label=unit, extend="max")
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_ylabel("log10 price" if log else "price")
        ax.set_title("Liquidation heatmap")
        return ax
