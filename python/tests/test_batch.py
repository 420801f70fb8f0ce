"""liqmap.batch and liqmap.dask.compute_many: a 12-map manifest (4 windows x 3 configs) run in
one process and on a 2-worker LocalCluster gives the same files; a failing job is reported and
the others are written."""
import json
import os
import subprocess
import unittest
from unittest import mock

import numpy as np

import liqmap
import liqmap.dask  # no dask needed: run_job is plain Python over ctypes
from test_liqmap import scratch_dir

try:
    from dask.distributed import Client, LocalCluster
except ImportError:
    Client = None

CONFIGS = [{"grid": {"price_bins": 64}, "positions": {"samples_per_step": 2}},
           {"grid": {"price_bins": 96}, "positions": {"samples_per_step": 3}},
           {"grid": {"price_bins": 64, "price_scale": "log"}, "positions": {"samples_per_step": 2}}]
WINDOWS = [("2026-01-01T00:00Z", "2026-01-01T10:00Z"), ("2026-01-01T02:00Z", "2026-01-01T13:00Z"),
           ("2026-01-01T04:00Z", "2026-01-01T16:00Z"), ("2026-01-01T06:00Z", "2026-01-01T19:00Z")]


def cli_available():
    try:
        liqmap._batch.cli_path()
        return True
    except liqmap.LiqmapError:
        return False


def twelve_jobs(folder, prefix):
    market = os.path.join(folder, "market.csv")
    if not os.path.exists(market):
        subprocess.run([liqmap._batch.cli_path(), "synth", "--steps", "2400", "--seed", "5",
                        "--out", market], check=True)
    return [{"name": f"w{w}c{c}", "market": "market.csv", "config": CONFIGS[c],
             "from": WINDOWS[w][0], "to": WINDOWS[w][1], "outputs": "npy,clusters",
             "out": os.path.join(prefix, f"w{w}c{c}")}
            for w in range(len(WINDOWS)) for c in range(len(CONFIGS))]


@unittest.skipUnless(cli_available(), "no liqmap executable")
class BatchTest(unittest.TestCase):
    def test_batch_runs_every_row_and_reports_the_failing_one(self):
        with scratch_dir() as work:
            jobs = twelve_jobs(work, "batch")
            jobs.insert(5, {"name": "broken", "market": "absent.csv", "out": "batch/broken"})
            summary = liqmap.batch(jobs, base_dir=work)
            self.assertEqual(len(summary), 13)
            self.assertEqual([s["ok"] for s in summary].count(False), 1)
            broken = summary[5]
            self.assertEqual(broken["name"], "broken")
            self.assertEqual(broken["error"]["code"], "io")
            self.assertIn("absent.csv", broken["error"]["message"])
            for s in summary:
                if s["ok"]:
                    self.assertTrue(os.path.exists(os.path.join(s["out"], "heatmap.npy")))
                    self.assertIn(s["clusters"]["bias"],
                                  ("balanced", "dominant_above", "dominant_below"))

    def test_a_manifest_file_and_an_unreadable_one(self):
        with scratch_dir() as work:
            path = os.path.join(work, "maps.json")
            with open(path, "w") as f:
                json.dump({"maps": twelve_jobs(work, "out")[:2]}, f)
            self.assertEqual([s["ok"] for s in liqmap.batch(path)], [True, True])
            with open(path, "w") as f:
                f.write("{not json")
            with self.assertRaises(liqmap.LiqmapError) as caught:
                liqmap.batch(path)
            self.assertIn("not JSON", caught.exception.message)


def same_files(test, first, second, names=("heatmap.npy", "long.npy", "short.npy", "clusters.json",
                                           "liquidations.csv", "axes.json")):
    """The files of two output folders are equal byte for byte (axes.json: but for its timings)."""
    for name in names:
        with open(os.path.join(first, name), "rb") as a, open(os.path.join(second, name), "rb") as b:
            left, right = a.read(), b.read()
        if name == "axes.json":
            left, right = json.loads(left), json.loads(right)
            for stats in (left["stats"], right["stats"]):
                stats.pop("stage_seconds")
                stats.pop("total_seconds")
        test.assertEqual(left, right, name)


@unittest.skipUnless(cli_available(), "no liqmap executable (for the reference maps)")
class RunJobTest(unittest.TestCase):
    """liqmap.dask.run_job without Dask: in this process, through ctypes, with batch's rows."""

    def test_it_runs_in_process_without_the_cli(self):
        with scratch_dir() as work:
            job = dict(twelve_jobs(work, "cli")[4], out=os.path.join(work, "cli", "one"))
            reference = liqmap.batch([job], threads=1, base_dir=work)[0]
            self.assertTrue(reference["ok"], reference)
            in_process = dict(job, market=os.path.join(work, job["market"]),
                              out=os.path.join(work, "ctypes", "one"))
            # No child process may start, and the CLI it would start does not exist.
            with mock.patch.dict(os.environ, {"LIQMAP_CLI": os.path.join(work, "no-such-liqmap")}), \
                    mock.patch.object(subprocess.Popen, "__init__",
                                      side_effect=AssertionError("a process was started")):
                result = liqmap.dask.run_job(in_process)
            self.assertTrue(result["ok"], result)
            self.assertEqual(result["worker_pid"], os.getpid())
            for key in ("name", "bars", "columns", "clusters"):
                self.assertIn(key, result)
            self.assertEqual(result["bars"], reference["bars"])
            self.assertEqual(result["columns"], reference["columns"])
            self.assertEqual(len(result["liquidations"]["ts"]), result["bars"])
            same_files(self, reference["out"], result["out"])

    def test_row_options_mean_what_batch_makes_of_them(self):
        # bins, samples and seed over a config file; epoch times as text and as a number; the
        # unit of open interest; numbers given as text, as CSV manifests give them.
        with scratch_dir() as work:
            twelve_jobs(work, "unused")
            with open(os.path.join(work, "config.json"), "w") as f:
                json.dump(CONFIGS[2], f)
            job = {"name": "options", "market": "market.csv", "config": "config.json",
                   "from": "1767229200", "to": 1767265200000, "bins": 48, "samples": "3",
                   "seed": 7, "oi_unit": "base", "outputs": "npy,clusters,review",
                   "grid_type": "float16", "drop_bad_rows": "1"}
            reference = liqmap.batch([dict(job, out="cli")], threads=1, base_dir=work)[0]
            self.assertTrue(reference["ok"], reference)
            cwd = os.getcwd()
            os.chdir(work)  # run_job reads relative paths from the current folder, as batch does
            try:
                result = liqmap.dask.run_job(dict(job, out="ctypes"))
            finally:
                os.chdir(cwd)
            self.assertTrue(result["ok"], result)
            self.assertEqual(np.load(os.path.join(result["out"], "heatmap.npy")).shape[0], 48)
            same_files(self, reference["out"], result["out"], ("heatmap.npy", "long.npy", "short.npy",
                                                               "clusters.json", "review.md",
                                                               "liquidations.csv", "axes.json"))
            self.assertEqual(result["bars"], reference["bars"])
            self.assertEqual(result["clusters"]["summary"]["bias"], reference["clusters"]["bias"])

    def test_a_bad_row_is_refused_as_batch_refuses_it(self):
        with scratch_dir() as work:
            twelve_jobs(work, "unused")
            rows = [{"name": "typo", "market": "market.csv", "out": "o", "colour": "red"},
                    {"market": "market.csv"},
                    {"market": "market.csv", "out": "o", "from": "yesterday"},
                    {"market": "market.csv", "out": "o", "bins": "many"}]
            reference = liqmap.batch(rows, base_dir=work)
            cwd = os.getcwd()
            os.chdir(work)
            try:
                results = [liqmap.dask.run_job(row) for row in rows]
            finally:
                os.chdir(cwd)
            for result, batch_row in zip(results, reference):
                self.assertFalse(result["ok"])
                self.assertEqual(result["error"], batch_row["error"])
            first = results[0]
            self.assertEqual(first["name"], "typo")
            self.assertIn("unknown key 'colour'", first["error"]["message"])
            self.assertIn("name, market, oi, config, from, to, out", first["error"]["message"])
            self.assertEqual(first["error"]["code"], "input")


@unittest.skipUnless(cli_available() and Client is not None,
                     "needs the liqmap executable and dask.distributed")
@unittest.skipIf("ASAN_OPTIONS" in os.environ, "worker processes under the preloaded ASan runtime")
class DaskTest(unittest.TestCase):
    def test_two_workers_give_the_batch_files(self):
        import liqmap.dask
        with scratch_dir() as work:
            jobs = twelve_jobs(work, "batch")
            reference = liqmap.batch(jobs, base_dir=work)
            self.assertTrue(all(s["ok"] for s in reference))
            on_dask = [dict(job, out=os.path.join("dask", job["name"])) for job in jobs]
            on_dask.append({"name": "broken", "market": "absent.csv", "out": "dask/broken"})
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                results = liqmap.dask.compute_many(on_dask, client, base_dir=work)
            self.assertEqual(len(results), 13)
            self.assertFalse(results[-1]["ok"])
            self.assertIn("absent.csv", results[-1]["error"]["message"])
            self.assertEqual(len({r["worker_pid"] for r in results}), 2, "both workers ran tasks")
            for job, batch_row, dask_row in zip(jobs, reference, results):
                self.assertTrue(dask_row["ok"], dask_row)
                self.assertEqual(dask_row["name"], job["name"])
                for name in ("heatmap", "long", "short"):
                    np.testing.assert_array_equal(
                        np.load(dask_row["grids"][name]),
                        np.load(os.path.join(batch_row["out"], name + ".npy")))
                with open(os.path.join(batch_row["out"], "clusters.json")) as f:
                    self.assertEqual(dask_row["clusters"], json.load(f))
                self.assertEqual(len(dask_row["liquidations"]["ts"]), dask_row["bars"])


if __name__ == "__main__":
    unittest.main()
