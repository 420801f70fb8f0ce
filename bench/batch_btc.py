"""Wall time of 12 maps of the shared BTC data (4 windows x 3 configs): 12 separate
`liqmap compute` processes, `liqmap batch` (--jobs 1 and 2), and liqmap.dask.compute_many on a
LocalCluster of 2 worker processes; checks that every way writes the same grids and clusters.

    LIQMAP_CLI=build/liqmap LIQMAP_LIBRARY=build/libliqmap.so.0 PYTHONPATH=python \\
        python3 bench/batch_btc.py [../shared/data/btc]
"""
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time

import liqmap
import liqmap.dask

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..",
                                                          "shared", "data", "btc")
MARKET = os.path.abspath(os.path.join(DATA, "btcusdt_1h_5year.csv"))
OI = os.path.abspath(os.path.join(DATA, "coinglass_oi_4h.csv"))
CONFIGS = {"c1024": {"grid": {"price_bins": 1024}},
           "c2048": {"grid": {"price_bins": 2048}},
           "log1024": {"grid": {"price_bins": 1024, "price_scale": "log"}}}
WINDOWS = [("2025-10-13", "2025-11-12"), ("2025-11-12", "2025-12-12"),
           ("2025-12-12", "2026-01-11"), ("2026-01-11", "2026-02-10")]
OUTPUTS = "npy,clusters,review"


def jobs(work, folder):
    rows = []
    for w, (start, end) in enumerate(WINDOWS):
        for name, config in CONFIGS.items():
            path = os.path.join(work, f"{name}.json")
            with open(path, "w") as f:
                json.dump(config, f)
            rows.append({"name": f"w{w}-{name}", "market": MARKET, "oi": OI, "config": path,
                         "from": start, "to": end, "outputs": OUTPUTS,
                         "out": os.path.join(work, folder, f"w{w}-{name}")})
    return rows


def timed(label, run, results):
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    results.append((label, seconds))
    print(f"| {label} | {seconds:.1f} |", flush=True)


def same(work, folder, rows):
    for row in rows:
        for name in ("heatmap.npy", "long.npy", "short.npy", "clusters.json"):
            a = os.path.join(work, "separate", row["name"], name)
            b = os.path.join(work, folder, row["name"], name)
            if not filecmp.cmp(a, b, shallow=False):
                raise SystemExit(f"{folder}/{row['name']}/{name} differs from the separate run")


def main():
    cli = liqmap._batch.cli_path()
    results = []
    with tempfile.TemporaryDirectory() as work:
        print("| way (12 maps) | wall (s) |\n|---|---|")
        separate = jobs(work, "separate")

        def one_by_one():
            for row in separate:
                subprocess.run([cli, "compute", "--quiet", "--market", row["market"], "--oi",
                                row["oi"], "--config", row["config"], "--from", row["from"],
                                "--to", row["to"], "--outputs", OUTPUTS, "--out", row["out"]],
                               check=True)
        timed("12 x liqmap compute", one_by_one, results)
        for jobs_at_once in (1, 2):
            folder = f"batch{jobs_at_once}"
            rows = jobs(work, folder)
            timed(f"liqmap batch --jobs {jobs_at_once}",
                  lambda: liqmap.batch(rows, jobs=jobs_at_once), results)
            same(work, folder, rows)
        from dask.distributed import Client, LocalCluster
        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            start_seconds = time.perf_counter() - started
            rows = jobs(work, "dask")
            timed("dask compute_many, 2 workers (cluster up)",
                  lambda: liqmap.dask.compute_many(rows, client, threads=1), results)
        print(f"| dask LocalCluster start | {start_seconds:.1f} |")
        same(work, "dask", rows)
        print("\nall ways wrote the same heatmap/long/short.npy and clusters.json")


if __name__ == "__main__":
    main()
