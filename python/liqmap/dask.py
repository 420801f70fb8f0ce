"""Maps on a dask.distributed cluster: one job (a row of a batch manifest) per task.

    from dask.distributed import Client
    import liqmap.dask
    client = Client("tcp://scheduler:8786")
    results = liqmap.dask.compute_many(jobs, client)

Each task runs the job inside its worker process with the C library through ctypes (the
package's Engine and Result; ctypes releases the GIL while the engine computes), reading the
row as `liqmap batch` reads a manifest row, so the files are exactly the CLI's. No subprocess
runs. The task writes the output files into the job's `out` folder (a path every worker can
reach: a shared file system), and sends back only small results: the clusters, the
liquidations per step (R) and the paths of the written grids, never the grids themselves."""
import ctypes
import json
import os
import re
import time
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ._engine import Engine
from ._errors import LiqmapError, Status, lib

__all__ = ["compute_many", "run_job"]

# The keys of a manifest row (host/cli/batch_manifest.cpp, batch_row_keys()).
ROW_KEYS = ("name", "market", "oi", "config", "from", "to", "out", "outputs", "grid_type",
            "format", "oi_unit", "drop_bad_rows", "bins", "samples", "seed")
_ROW_KEYS_TEXT = ", ".join(ROW_KEYS)


def _absolute(job: Dict[str, Any], base_dir: str) -> Dict[str, Any]:
    """Relative paths made absolute here, so workers in other folders read the same files."""
    def fix(path: str) -> str:
        return path if os.path.isabs(path) or path == "-" else os.path.normpath(
            os.path.join(base_dir, path))
    out = dict(job)
    for key in ("market", "oi"):
        if key in out:
            value = out[key]
            out[key] = ([fix(p) for p in value] if isinstance(value, (list, tuple))
                        else ";".join(fix(p) for p in str(value).split(";") if p))
    for key in ("out", "config"):
        if isinstance(out.get(key), str):
            out[key] = fix(out[key])
    return out


# ---- a manifest row, as host/cli/batch_manifest.cpp reads it -------------------------------

def _bad(message: str) -> LiqmapError:
    return LiqmapError(Status.INPUT, message)


def _resolved(path: str) -> str:
    if not path or path == "-" or os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(os.getcwd(), path))


def _text(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _bad(f"'{key}' must be text, not {_json_type(value)}")


def _integer(value: Any, key: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+", value):
        return int(value)
    raise _bad(f"'{key}' must be a whole number, not {json.dumps(value)}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _paths(value: Any, key: str) -> List[str]:
    if isinstance(value, str):  # several separated by ';', leading blanks dropped
        return [part.lstrip(" \t") for part in value.split(";") if part.strip(" \t")]
    if not isinstance(value, (list, tuple)):
        raise _bad(f"'{key}' must be a path or a list of paths")
    if not all(isinstance(item, str) for item in value):
        raise _bad(f"'{key}' must list paths (strings)")
    return list(value)


def read_row(job: Any) -> Dict[str, Any]:
    """A manifest row read as `liqmap batch` reads one (relative paths from the current folder):
    unknown keys, a missing market or out, and values of the wrong kind raise LiqmapError
    (Status.INPUT) with the CLI's message."""
    if not isinstance(job, dict):
        raise _bad(f"a row must be an object of {_ROW_KEYS_TEXT}")
    row: Dict[str, Any] = {"name": "", "market": [], "oi": [], "config": None, "from": "",
                           "to": "", "out": "", "outputs": "all", "grid_type": "float32",
                           "format": "auto", "oi_unit": "", "drop_bad_rows": False,
                           "bins": None, "samples": None, "seed": None}
    for key, value in job.items():
        if key not in ROW_KEYS:
            raise _bad(f"unknown key '{key}'; a row has {_ROW_KEYS_TEXT}")
        if value is None or value == "":
            continue
        if key in ("market", "oi"):
            row[key] = _paths(value, key)
        elif key == "config":
            row[key] = value if isinstance(value, dict) else _resolved(_text(value, key))
        elif key == "out":
            row[key] = _resolved(_text(value, key))
        elif key == "drop_bad_rows":
            row[key] = value if isinstance(value, bool) else _integer(value, key) != 0
        elif key in ("bins", "samples", "seed"):
            row[key] = _integer(value, key)
        else:
            row[key] = _text(value, key)
    row["market"] = [_resolved(p) for p in row["market"]]
    row["oi"] = [_resolved(p) for p in row["oi"]]
    if not row["market"]:
        raise _bad("no 'market' file")
    if not row["out"]:
        raise _bad("no 'out' folder")
    if not row["name"]:
        row["name"] = os.path.basename(row["out"])
    return row


def _time_ms(text: str, key: str) -> Optional[int]:
    """A row's time read by the engine's own parser (liqmap_parse_time, as the CLI reads it),
    with batch's message when it is not one."""
    if not text:
        return None
    ms = ctypes.c_int64()
    if lib.liqmap_parse_time(text.encode(), ctypes.byref(ms)) != 0:
        raise _bad(f"'{key}' is '{text[:64]}'; expected a time from 1990 to 2200, ISO-8601 UTC or "
                   "epoch s, ms, µs or ns")
    return ms.value


def _config(row: Dict[str, Any]) -> Any:
    """The row's config (an object, a file, or the defaults) with bins, samples and seed set
    over it (grid.price_bins, positions.samples_per_step, positions.seed)."""
    config = row["config"]
    if isinstance(config, str):
        try:
            with open(config) as f:
                config = f.read()
        except OSError:
            raise LiqmapError(Status.CONFIG, f"config file '{row['config']}' cannot be read") from None
    overrides = [(("grid", "price_bins"), row["bins"]),
                 (("positions", "samples_per_step"), row["samples"]),
                 (("positions", "seed"), row["seed"])]
    if all(value is None for _, value in overrides):
        return config
    with Engine(config) as engine:  # the config parsed (and checked) as given, then set over
        document = engine.config()
    for (section, key), value in overrides:
        if value is not None:
            document[section][key] = value
    return document


def _run_row(job: Dict[str, Any], threads: int, backend: str) -> Dict[str, Any]:
    """batch_command.cpp's run_row through the C API: the map written into the row's `out`
    folder; returns the summary fields of the map (and the Result, under "_result")."""
    from ._result import Result
    row = read_row(job)
    if row["oi_unit"] not in ("", "base", "quote"):
        raise _bad(f"'oi_unit' is '{row['oi_unit']}'; expected base or quote")
    engine = Engine(_config(row))
    try:
        # The engine's read: the CLI's readers, flow.warmup_days, the market defaults (the unit
        # of open interest, the volume half-life) and the coin named by the files.
        engine.read_market(row["market"], row["oi"], format=row["format"],
                           oi_unit=row["oi_unit"] or None, drop_bad_rows=row["drop_bad_rows"])
        start, end = _time_ms(row["from"], "from"), _time_ms(row["to"], "to")
        # liqmap_engine_compute_window: the CLI's window (price range fitted, then cropped).
        engine.compute(backend, threads,
                       from_=None if start is None else np.datetime64(start, "ms"),
                       to=None if end is None else np.datetime64(end, "ms"))
        result = Result(engine)
        if not result.stats.get("opened_usd", 0) > 0:
            raise _bad(f"no position opened over the {result.market_ts.size} bars: there is no "
                       "map to draw")
        result.save(row["out"], row["outputs"], row["grid_type"])
        clusters = engine.clusters()
        summary = clusters["summary"]
        return {"name": row["name"], "out": row["out"], "bars": result.steps,
                "columns": int(result.column_ts.size),
                "clusters": {"ts": clusters["ts"], "price": clusters["price"],
                             "above_usd": summary["above_usd"], "below_usd": summary["below_usd"],
                             "asymmetry": summary["asymmetry"], "bias": summary["bias"],
                             "peaks": len(clusters["peaks"])},
                "_result": result}
    except BaseException:
        engine.close()
        raise


def run_job(job: Dict[str, Any], threads: int = 1, backend: str = "auto") -> Dict[str, Any]:
    """One map in this process (what a Dask task runs), through the C library (ctypes), with the
    meaning `liqmap batch` gives a manifest row (relative paths from the current folder). Returns
    the batch summary of the row (name, where, ok, out, seconds, bars, columns, and error
    {code, message} or the clusters summary), plus `worker_pid`, `task_seconds`, `clusters`
    (clusters.json as a dict, when written), `liquidations` (liquidations.csv as a dict of
    lists of its text) and `grids` (paths of heatmap.npy, long.npy and short.npy when written).
    A failed job comes back with ok False; nothing is raised for the job's own errors."""
    started = time.perf_counter()
    name = job.get("name") if isinstance(job, dict) and isinstance(job.get("name"), str) else ""
    out = job.get("out") if isinstance(job, dict) and isinstance(job.get("out"), str) else ""
    summary: Dict[str, Any] = {"name": name, "where": "run_job", "ok": False,
                               "out": _resolved(out), "seconds": 0.0, "bars": 0, "columns": 0}
    result = None
    try:
        fields = _run_row(job, threads, backend)
        result = fields.pop("_result")
        summary.update(fields)
        summary["ok"] = True
    except LiqmapError as e:
        summary["error"] = {"code": e.status.name.lower(), "message": e.message}
    except MemoryError:
        summary["error"] = {"code": "out_of_memory", "message": "the host ran out of memory"}
    except Exception as e:  # as the CLI's batch: one row's failure never stops the others
        summary["error"] = {"code": "internal", "message": str(e)}
    summary["seconds"] = time.perf_counter() - started
    summary["worker_pid"] = os.getpid()
    try:
        if not summary["ok"]:
            return summary
        out = summary["out"]
        clusters_path = os.path.join(out, "clusters.json")  # as written: no second rendering
        if os.path.exists(clusters_path):
            with open(clusters_path) as f:
                summary["clusters"] = json.load(f)
        liquidations_path = os.path.join(out, "liquidations.csv")
        if os.path.exists(liquidations_path):
            import csv
            with open(liquidations_path, newline="") as f:
                rows = list(csv.DictReader(f))
            summary["liquidations"] = {key: [row[key] for row in rows]
                                       for key in (rows[0] if rows else {})}
        summary["grids"] = {name: os.path.join(out, name + ".npy")
                            for name in ("heatmap", "long", "short")
                            if os.path.exists(os.path.join(out, name + ".npy"))}
        return summary
    finally:
        if result is not None:
            result.close()
        summary["task_seconds"] = time.perf_counter() - started


def compute_many(jobs: Sequence[Dict[str, Any]], client: Any, threads: int = 1,
                 backend: str = "auto", base_dir: Optional[str] = None) -> List[Dict[str, Any]]:
    """Runs `jobs` (rows as in a `liqmap batch` manifest: market, oi, config, from, to, out,
    ...) as one task each on the `client`'s cluster, `threads` CPU threads per task (give each
    worker as many threads as its tasks use; on GPU workers, one device each through
    CUDA_VISIBLE_DEVICES). Returns run_job's small result per job, in order; a failed job comes
    back with ok False and its error, and the others go on."""
    base = os.path.abspath(base_dir or os.getcwd())
    prepared = [_absolute(job, base) if isinstance(job, dict) else job for job in jobs]
    futures = client.map(run_job, prepared, threads=threads, backend=backend, pure=False)
    return client.gather(futures)
