"""liqmap: liquidation heatmaps for crypto perpetual futures, over the engine's C API.

    import liqmap
    market = liqmap.read_market("BTCUSDT-1m-2024-01-*.zip", oi="BTCUSDT-metrics-2024-01-*.zip")
    result = liqmap.compute(market, {"grid": {"price_bins": 512}})
    result.heatmap                      # float32 (price_bins, columns), row 0 = lowest price
    result.clusters_at("2024-01-20")    # DataFrames with clusters.json's keys
    result.plot(); result.save("out")   # matplotlib; the CLI's output files
    result.backtest()                   # do clusters act as magnets? (docs/backtest.md)

Errors raise LiqmapError, which carries the engine's message and status.
"""
from ._backtest import backtest, cascade
from ._batch import batch
from ._engine import (MAX_THREADS, Engine, compute, demo_config, library_path, read_market,
                      synthetic_market, version)
from ._errors import LiqmapError, Status
from ._result import Result

__version__: str = version()

__all__ = ["MAX_THREADS", "Engine", "LiqmapError", "Result", "Status", "backtest", "batch", "cascade", "compute",
           "demo_config", "library_path", "read_market", "synthetic_market", "version",
           "__version__"]


def __dir__():
    return sorted(__all__ + ["dask"])


def __getattr__(name):
    if name == "dask":  # imported on demand: dask.distributed is heavy and optional
        import importlib
        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module 'liqmap' has no attribute {name!r}")
