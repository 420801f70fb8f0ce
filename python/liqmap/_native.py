"""The C API of libliqmap (include/liqmap/liqmap.h) declared for ctypes, and where to find it.

The library is looked for, in order: the path in $LIQMAP_LIBRARY; next to this package; the
library folder of an installed tree (<prefix>/lib/python3/dist-packages/liqmap -> <prefix>/lib);
the build folder of a source checkout (python/liqmap -> build/); the system's search path.
"""
import ctypes
import ctypes.util
import os
from pathlib import Path

ABI_VERSION = 0  # the SONAME this binding was written for: libliqmap.so.0
_NAMES = (f"libliqmap.so.{ABI_VERSION}", "libliqmap.so")

c_size_t = ctypes.c_size_t
c_status = ctypes.c_int
c_double_p = ctypes.POINTER(ctypes.c_double)
c_int64_p = ctypes.POINTER(ctypes.c_int64)
c_size_p = ctypes.POINTER(ctypes.c_size_t)
c_engine_p = ctypes.c_void_p
c_float_p = ctypes.POINTER(ctypes.c_float)
c_char_pp = ctypes.POINTER(ctypes.c_char_p)

PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_double, ctypes.c_void_p)


class Market(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("length", c_size_t), ("ts", c_int64_p),
                ("open", c_double_p), ("high", c_double_p), ("low", c_double_p),
                ("close", c_double_p), ("volume", c_double_p), ("oi", c_double_p),
                ("long_share", c_double_p), ("warmup_rows", c_size_t)]


class ReadOptions(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("format", ctypes.c_char_p), ("oi_unit", ctypes.c_char_p),
                ("drop_bad_rows", ctypes.c_int), ("warmup_days", ctypes.c_double)]


class LoadOptions(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("name", ctypes.c_char_p), ("ts_epoch_any", ctypes.c_int),
                ("ts_text", ctypes.c_char_p), ("ts_text_length", c_size_t),
                ("oi_unit", ctypes.c_char_p), ("oi_unit_source", ctypes.c_char_p),
                ("drop_bad_rows", ctypes.c_int), ("warmup_days", ctypes.c_double),
                ("has_warmup_until", ctypes.c_int), ("warmup_until_ms", ctypes.c_int64)]


class OutputOptions(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("outputs", ctypes.c_char_p), ("grid_type", ctypes.c_char_p),
                ("has_at", ctypes.c_int), ("at_ts", ctypes.c_int64)]


class RunOptions(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("backend", ctypes.c_int), ("threads", ctypes.c_int),
                ("progress", PROGRESS_FN), ("progress_user_data", ctypes.c_void_p)]


class Axes(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("price_bins", c_size_t), ("columns", c_size_t),
                ("steps", c_size_t), ("price_min", ctypes.c_double),
                ("price_max", ctypes.c_double), ("price_scale", ctypes.c_int)]


class RunStats(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("positions_drawn", ctypes.c_uint64),
                ("positions_in_range", ctypes.c_uint64),
                ("positions_out_of_range", ctypes.c_uint64),
                ("positions_unliquidatable", ctypes.c_uint64),
                ("positions_liquidated", ctypes.c_uint64), ("opened_usd", ctypes.c_double),
                ("in_range_usd", ctypes.c_double), ("out_of_range_usd", ctypes.c_double),
                ("unliquidatable_usd", ctypes.c_double), ("liquidated_usd", ctypes.c_double),
                ("total_seconds", ctypes.c_double), ("threads", ctypes.c_int),
                ("backend", ctypes.c_int), ("flow_source", ctypes.c_char * 16)]


class Peak(ctypes.Structure):
    _fields_ = [("bin", c_size_t), ("price", ctypes.c_double), ("value_usd", ctypes.c_double),
                ("prominence", ctypes.c_double), ("side", ctypes.c_int),
                ("distance_pct", ctypes.c_double)]


class Zone(ctypes.Structure):
    _fields_ = [("first_bin", c_size_t), ("last_bin", c_size_t), ("price_low", ctypes.c_double),
                ("price_high", ctypes.c_double), ("notional_usd", ctypes.c_double),
                ("peak_count", c_size_t), ("stacked", ctypes.c_int)]


class ClusterSummary(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("column", c_size_t), ("ts", ctypes.c_int64),
                ("price", ctypes.c_double), ("peak_count", c_size_t), ("zone_count", c_size_t),
                ("above_usd", ctypes.c_double), ("below_usd", ctypes.c_double),
                ("asymmetry", ctypes.c_double), ("bias", ctypes.c_int),
                ("has_largest_above", ctypes.c_int), ("largest_above", Peak),
                ("has_largest_below", ctypes.c_int), ("largest_below", Peak)]


_PROTOTYPES = {
    "liqmap_version": (ctypes.c_char_p, []),
    "liqmap_version_number": (ctypes.c_uint, []),
    "liqmap_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "liqmap_last_error": (ctypes.c_char_p, []),
    "liqmap_synthetic_market": (c_status, [c_size_t, ctypes.c_uint64, c_int64_p, c_double_p,
                                           c_double_p, c_double_p, c_double_p, c_double_p,
                                           c_double_p]),
    "liqmap_demo_config": (c_status, [ctypes.c_char_p, c_size_t, c_size_p]),
    "liqmap_engine_create": (c_status, [ctypes.POINTER(c_engine_p)]),
    "liqmap_engine_free": (c_status, [c_engine_p]),
    "liqmap_engine_set_config": (c_status, [c_engine_p, ctypes.c_char_p]),
    "liqmap_engine_get_config": (c_status, [c_engine_p, ctypes.c_char_p, c_size_t, c_size_p]),
    "liqmap_engine_set_market": (c_status, [c_engine_p, ctypes.POINTER(Market)]),
    "liqmap_engine_add_venue": (c_status, [c_engine_p, ctypes.c_char_p, ctypes.c_char_p,
                                           ctypes.POINTER(Market)]),
    "liqmap_engine_clear_venues": (c_status, [c_engine_p]),
    "liqmap_run_options_default": (RunOptions, []),
    "liqmap_engine_compute": (c_status, [c_engine_p, ctypes.POINTER(RunOptions)]),
    "liqmap_engine_get_axes": (c_status, [c_engine_p, ctypes.POINTER(Axes)]),
    "liqmap_engine_get_grid": (c_status, [c_engine_p, ctypes.c_int, ctypes.c_int, c_double_p,
                                          c_size_t, c_size_p]),
    "liqmap_engine_get_series": (c_status, [c_engine_p, ctypes.c_int, c_double_p, c_size_t,
                                            c_size_p]),
    "liqmap_engine_get_column_ts": (c_status, [c_engine_p, c_int64_p, c_size_t, c_size_p]),
    "liqmap_engine_get_stats": (c_status, [c_engine_p, ctypes.POINTER(RunStats)]),
    "liqmap_engine_get_stats_json": (c_status, [c_engine_p, ctypes.c_char_p, c_size_t,
                                                c_size_p]),
    "liqmap_engine_extract_clusters": (c_status, [c_engine_p, ctypes.c_int64]),
    "liqmap_engine_get_cluster_summary": (c_status, [c_engine_p,
                                                     ctypes.POINTER(ClusterSummary)]),
    "liqmap_engine_get_peaks": (c_status, [c_engine_p, ctypes.POINTER(Peak), c_size_t,
                                           c_size_p]),
    "liqmap_engine_get_zones": (c_status, [c_engine_p, ctypes.POINTER(Zone), c_size_t,
                                           c_size_p]),
    "liqmap_engine_get_zone_peaks": (c_status, [c_engine_p, c_size_t, c_size_p, c_size_t,
                                                c_size_p]),
    "liqmap_engine_get_cluster_curve": (c_status, [c_engine_p, ctypes.c_int, c_double_p,
                                                   c_size_t, c_size_p]),
    # Files in and out (the CLI's readers and output set).
    "liqmap_read_options_default": (ReadOptions, []),
    "liqmap_engine_read_market": (c_status, [c_engine_p, c_char_pp, c_size_t, c_char_pp, c_size_t,
                                             ctypes.POINTER(ReadOptions)]),
    "liqmap_engine_apply_market_defaults": (c_status, [c_engine_p, ctypes.c_char_p]),
    "liqmap_load_options_default": (LoadOptions, []),
    "liqmap_engine_load_market": (c_status, [c_engine_p, ctypes.POINTER(Market),
                                             ctypes.POINTER(LoadOptions)]),
    "liqmap_parse_time": (c_status, [ctypes.c_char_p, c_int64_p]),
    "liqmap_engine_get_notices": (c_status, [c_engine_p, ctypes.c_char_p, c_size_t, c_size_p]),
    "liqmap_engine_get_market_ts": (c_status, [c_engine_p, c_int64_p, c_size_t, c_size_p]),
    "liqmap_engine_get_market_column": (c_status, [c_engine_p, ctypes.c_int, c_double_p, c_size_t,
                                                   c_size_p]),
    "liqmap_engine_get_grid_f32": (c_status, [c_engine_p, ctypes.c_int, ctypes.c_int, c_float_p,
                                              c_size_t, c_size_p]),
    "liqmap_engine_compute_window": (c_status, [c_engine_p, ctypes.POINTER(RunOptions), c_int64_p,
                                                c_int64_p]),
    "liqmap_output_options_default": (OutputOptions, []),
    "liqmap_engine_write_outputs": (c_status, [c_engine_p, ctypes.c_char_p,
                                               ctypes.POINTER(OutputOptions)]),
    "liqmap_engine_get_output": (c_status, [c_engine_p, ctypes.c_char_p,
                                            ctypes.POINTER(OutputOptions), ctypes.c_char_p,
                                            c_size_t, c_size_p]),
    "liqmap_engine_run_row": (c_status, [c_engine_p, ctypes.c_char_p, ctypes.c_char_p,
                                         ctypes.POINTER(RunOptions)]),
    "liqmap_engine_append": (c_status, [c_engine_p, ctypes.POINTER(Market), ctypes.POINTER(LoadOptions),
                                        ctypes.c_int, ctypes.POINTER(RunOptions)]),
}


def _candidate_paths():
    override = os.environ.get("LIQMAP_LIBRARY")
    if override:
        return [Path(override)]  # when set, nothing else: a silent fallback would hide mistakes
    here = Path(__file__).resolve().parent
    folders = [here, here.parents[1] / "build"]
    if len(here.parents) > 2:
        folders.insert(1, here.parents[2])
    paths = [folder / name for folder in folders for name in _NAMES]
    found = ctypes.util.find_library("liqmap")
    return [p for p in paths if p.exists()] + ([Path(found)] if found else [])


def load():
    """The loaded library with every function's prototype declared; OSError if not found."""
    tried = []
    for path in _candidate_paths():
        try:
            lib = ctypes.CDLL(str(path))
        except OSError as e:
            tried.append(f"{path}: {e}")
            continue
        for name, (restype, argtypes) in _PROTOTYPES.items():
            function = getattr(lib, name)
            function.restype = restype
            function.argtypes = argtypes
        lib.path = str(path)
        return lib
    raise OSError("libliqmap not found; set LIQMAP_LIBRARY to the path of libliqmap.so"
                  + ("" if not tried else " (tried: " + "; ".join(tried) + ")"))
