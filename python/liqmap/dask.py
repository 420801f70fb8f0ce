"""Maps on a dask.distributed cluster: one job (a row of a batch manifest) per task.

    from dask.distributed import Client
    import liqmap.dask
    client = Client("tcp://scheduler:8786")
    results = liqmap.dask.compute_many(jobs, client)

Each task runs the job inside its worker process with the C library through ctypes (the
package's Engine and Result; ctypes releases the GIL while the engine computes), running the
row by the engine's own batch row (the map job of `liqmap batch`), so the files are exactly the
CLI's. No subprocess runs. The task writes the output files into the job's `out` folder (a path every worker can
reach: a shared file system), and sends back only small results: the clusters, the
liquidations per step (R) and the paths of the written grids, never the grids themselves."""
import json
import os
import time
from typing import Any, Dict, List, Optional, Sequence

from ._engine import Engine
from ._errors import LiqmapError, Status

__all__ = ["compute_many", "run_job"]

# The keys of a manifest row (host/app/batch_manifest.cpp, batch_row_keys()), for messages.
ROW_KEYS = ("name", "market", "oi", "config", "from", "to", "out", "outputs", "grid_type",
            "format", "oi_unit", "drop_bad_rows", "bins", "samples", "seed")


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


def _resolved(path: str) -> str:
    if not path or path == "-" or os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(os.getcwd(), path))


def _run_row(job: Any, threads: int, backend: str) -> Dict[str, Any]:
    """The row run by the engine's own batch row (liqmap_engine_run_row: the map job of
    `liqmap batch`), written into the row's `out` folder; returns the summary fields of the map
    (and the Result, under "_result")."""
    from ._result import Result
    if not isinstance(job, dict):
        raise LiqmapError(Status.INPUT, "a row must be an object of " + ", ".join(ROW_KEYS))
    engine = Engine(None)
    try:
        engine.run_row(job, backend, threads)
        result = Result(engine)
        clusters = engine.clusters()
        summary = clusters["summary"]
        out = _resolved(str(job.get("out") or ""))
        return {"name": job.get("name") or os.path.basename(out), "out": out,
                "bars": result.steps, "columns": int(result.column_ts.size),
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
