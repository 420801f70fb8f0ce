"""Maps on a dask.distributed cluster: one job (a row of a batch manifest) per task.

    from dask.distributed import Client
    import liqmap.dask
    client = Client("tcp://scheduler:8786")
    results = liqmap.dask.compute_many(jobs, client)

Each task runs the job in its worker with the engine (`liqmap batch` on a one-row manifest, so
the map is exactly the CLI's), writes the output files into the job's `out` folder (a path every
worker can reach: a shared file system), and sends back only small results: the clusters, the
liquidations per step (R) and the paths of the written grids, never the grids themselves."""
import json
import os
import time
from typing import Any, Dict, List, Optional, Sequence

from ._batch import batch

__all__ = ["compute_many", "run_job"]


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


def run_job(job: Dict[str, Any], threads: int = 1, backend: str = "auto") -> Dict[str, Any]:
    """One map in this process (what a Dask task runs): the batch summary of the row, plus
    `clusters` (clusters.json as a dict), `liquidations` (liquidations.csv as a dict of lists)
    and `grids` (paths of heatmap.npy, long.npy and short.npy when written)."""
    started = time.perf_counter()
    summary = batch([job], threads=threads, backend=backend)[0]
    summary["worker_pid"] = os.getpid()
    summary["task_seconds"] = time.perf_counter() - started
    if not summary.get("ok"):
        return summary
    out = summary["out"]
    clusters_path = os.path.join(out, "clusters.json")
    if os.path.exists(clusters_path):
        with open(clusters_path) as f:
            summary["clusters"] = json.load(f)
    liquidations_path = os.path.join(out, "liquidations.csv")
    if os.path.exists(liquidations_path):
        import csv
        with open(liquidations_path, newline="") as f:
            rows = list(csv.DictReader(f))
        summary["liquidations"] = {key: [row[key] for row in rows] for key in (rows[0] if rows else {})}
    summary["grids"] = {name: os.path.join(out, name + ".npy") for name in ("heatmap", "long", "short")
                        if os.path.exists(os.path.join(out, name + ".npy"))}
    return summary


def compute_many(jobs: Sequence[Dict[str, Any]], client: Any, threads: int = 1,
                 backend: str = "auto", base_dir: Optional[str] = None) -> List[Dict[str, Any]]:
    """Runs `jobs` (rows as in a `liqmap batch` manifest: market, oi, config, from, to, out,
    ...) as one task each on the `client`'s cluster, `threads` CPU threads per task (give each
    worker as many threads as its tasks use; on GPU workers, one device each through
    CUDA_VISIBLE_DEVICES). Returns run_job's small result per job, in order; a failed job comes
    back with ok False and its error, and the others go on."""
    base = os.path.abspath(base_dir or os.getcwd())
    prepared = [_absolute(job, base) for job in jobs]
    futures = client.map(run_job, prepared, threads=threads, backend=backend, pure=False)
    return client.gather(futures)
