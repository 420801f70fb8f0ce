"""The Python binding over the installed libliqmap: results, the equality with the CLI's output
files, and every error path raising LiqmapError with the engine's status and message."""
import ctypes
import json
import math
import os
import subprocess
import tempfile
import unittest

import numpy as np

import liqmap

STEPS = 1500
CONFIG = {"grid": {"price_bins": 200}, "positions": {"samples_per_step": 8}}

try:
    import pandas
except ImportError:
    pandas = None


def small_market(steps=STEPS, seed=7):
    return liqmap.synthetic_market(steps=steps, seed=seed)


def scratch_dir():
    root = os.environ.get("LIQMAP_TEST_TMP")
    if root:
        os.makedirs(root, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=root)


class ComputeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.market = small_market()
        cls.result = liqmap.compute(cls.market, CONFIG, backend="cpu", threads=2)

    def test_loads_the_installed_library(self):
        self.assertRegex(liqmap.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(liqmap.__version__, liqmap.version())
        self.assertTrue(os.path.exists(liqmap.library_path()), liqmap.library_path())

    def test_grids_have_the_axes_shape(self):
        r = self.result
        self.assertEqual(r.shape, (200, STEPS))
        for grid in (r.raw_long, r.raw_short, r.smooth_long, r.smooth_short, r.raw_total):
            self.assertEqual(grid.shape, r.shape)
            self.assertEqual(grid.dtype, np.float32)
        self.assertEqual(r.grid("long", "raw", np.float64).dtype, np.float64)
        self.assertEqual(r.price_edges.size, 201)
        self.assertEqual(r.price_centres.size, 200)
        self.assertTrue(np.all(np.diff(r.price_edges) > 0))
        np.testing.assert_array_equal(r.column_ts, self.market["ts"])
        self.assertEqual(r.liquidated_long.size, STEPS)

    def test_total_is_the_sum_of_the_sides(self):
        r = self.result
        for stage in ("raw", "smoothed"):
            exact = r.grid("long", stage, np.float64) + r.grid("short", stage, np.float64)
            np.testing.assert_array_equal(r.grid("total", stage, np.float64), exact)
            np.testing.assert_array_equal(r.grid("total", stage), exact.astype(np.float32))
        np.testing.assert_array_equal(r.heatmap, r.grid("total", "smoothed"))
        self.assertGreater(r.heatmap.sum(), 0)
        self.assertFalse(np.array_equal(r.heatmap, r.raw_total), "smoothing changed nothing")

    def test_stats_describe_the_run(self):
        stats = self.result.stats
        self.assertEqual(stats["backend"], "cpu")
        self.assertEqual(stats["flow_source"], "oi")
        self.assertGreater(stats["positions_drawn"], 0)
        self.assertAlmostEqual(stats["liquidated_usd"],
                               self.result.liquidated_long.sum()
                               + self.result.liquidated_short.sum(), delta=1e-6
                               * stats["liquidated_usd"])

    def test_clusters_at_the_last_column(self):
        clusters = self.result.clusters
        self.assertEqual(clusters["column"], STEPS - 1)
        self.assertEqual(clusters["price"], self.market["close"][-1])
        peaks = clusters["peaks"]
        self.assertGreater(len(peaks), 0)
        self.assertLessEqual(len(peaks), 10)
        values = [p["value_usd"] for p in peaks]
        self.assertEqual(values, sorted(values, reverse=True))
        column = self.result.grid(dtype=np.float64)[:, -1]
        for p in peaks:
            self.assertEqual(p["value_usd"], column[p["bin"]])
            self.assertEqual(p["side"], "above" if p["price"] > clusters["price"] else "below")
        for zone in clusters["zones"]:
            self.assertLessEqual(zone["first_bin"], zone["last_bin"])
            self.assertEqual(zone["stacked"], len(zone["peaks"]) >= 2)
        summary = clusters["summary"]
        self.assertIn(summary["bias"], ("balanced", "dominant_above", "dominant_below"))
        self.assertEqual(clusters["cumulative_short_above"].size, 200)

    def test_clusters_at_another_column(self):
        with liqmap.Engine(CONFIG) as engine:
            engine.set_market(self.market)
            engine.compute(backend="cpu")
            self.assertEqual(engine.clusters(column=100)["column"], 100)
            self.assertEqual(engine.clusters(column=-2)["column"], STEPS - 2)
            with self.assertRaises(liqmap.LiqmapError) as caught:
                engine.clusters(column=STEPS)
            self.assertEqual(caught.exception.status, liqmap.Status.INVALID_ARGUMENT)

    def test_same_grids_whatever_the_thread_count(self):
        one = liqmap.compute(self.market, CONFIG, backend="cpu", threads=1)
        np.testing.assert_array_equal(one.grid(dtype=np.float64),
                                      self.result.grid(dtype=np.float64))

    def test_demo_config_round_trips(self):
        config = liqmap.demo_config()
        self.assertEqual(len(config["exchanges"]), 5)
        config["grid"]["price_bins"] = 64
        config["positions"]["samples_per_step"] = 2
        result = liqmap.compute(small_market(300), config, backend="cpu")
        self.assertEqual(result.shape, (64, 300))


class CliEqualityTest(unittest.TestCase):
    """The grids of the CLI's heatmap.npy / long.npy / short.npy equal the binding's (and so the
    C API's) for the same market and configuration."""

    def test_cli_writes_the_same_grids(self):
        cli = os.environ.get("LIQMAP_CLI")
        if not cli:
            self.skipTest("LIQMAP_CLI is not set")
        market = small_market()
        result = liqmap.compute(market, CONFIG, backend="cpu", threads=2)
        with scratch_dir() as work:
            csv_path = os.path.join(work, "market.csv")
            with open(csv_path, "w") as f:
                f.write("ts,open,high,low,close,volume,oi\n")
                for row in zip(*(market[c] for c in ("ts", "open", "high", "low", "close",
                                                     "volume", "oi"))):
                    f.write(",".join([str(int(row[0]))] + [repr(float(v)) for v in row[1:]])
                            + "\n")
            config_path = os.path.join(work, "config.json")
            with open(config_path, "w") as f:
                json.dump(CONFIG, f)
            out = os.path.join(work, "out")
            subprocess.run([cli, "compute", "--market", csv_path, "--config", config_path,
                            "--backend", "cpu", "--threads", "1", "--out", out],
                           check=True, stdout=subprocess.DEVNULL)
            for name, grid in (("heatmap", result.heatmap), ("long", result.smooth_long),
                               ("short", result.smooth_short)):
                written = np.load(os.path.join(out, name + ".npy"))
                self.assertEqual(written.dtype, np.float32)
                np.testing.assert_array_equal(written, grid.astype(np.float32), err_msg=name)


class PackageTest(unittest.TestCase):
    def test_the_namespace_holds_only_the_api(self):
        public = [name for name in dir(liqmap) if not name.startswith("_")]
        self.assertEqual(sorted(public), sorted(set(liqmap.__all__) - {"__version__"} | {"dask"}))
        for name in ("np", "ctypes", "json", "enum"):
            self.assertNotIn(name, dir(liqmap))

    def test_public_functions_have_docstrings_and_hints(self):
        for name in liqmap.__all__:
            item = getattr(liqmap, name)
            if callable(item):
                self.assertTrue(item.__doc__, name)
        self.assertIn("return", liqmap.compute.__annotations__)

    def test_result_repr(self):
        r = liqmap.compute(small_market(300), CONFIG, backend="cpu")
        self.assertRegex(repr(r), r"<liqmap.Result 200 price bins x 300 columns, 2026-.*cpu in")


class MarketInputTest(unittest.TestCase):
    def test_optional_columns_may_be_left_out(self):
        market = small_market(400)
        del market["oi"]
        result = liqmap.compute(market, CONFIG, backend="cpu")
        self.assertEqual(result.stats["flow_source"], "volume")

    def test_lists_and_datetimes_are_accepted(self):
        market = small_market(300)
        as_lists = {k: v.tolist() for k, v in market.items()}
        as_lists["ts"] = market["ts"].astype("datetime64[ms]")
        a = liqmap.compute(market, CONFIG, backend="cpu")
        b = liqmap.compute(as_lists, CONFIG, backend="cpu")
        np.testing.assert_array_equal(a.heatmap, b.heatmap)

    @unittest.skipIf(pandas is None, "pandas is not installed")
    def test_dataframe_gives_the_same_map(self):
        market = small_market(300)
        frame = pandas.DataFrame(market)
        a = liqmap.compute(market, CONFIG, backend="cpu")
        b = liqmap.compute(frame, CONFIG, backend="cpu")
        np.testing.assert_array_equal(a.heatmap, b.heatmap)
        indexed = frame.set_index(pandas.to_datetime(frame.pop("ts"), unit="ms"))
        c = liqmap.compute(indexed, CONFIG, backend="cpu")
        np.testing.assert_array_equal(a.heatmap, c.heatmap)


class ErrorTest(unittest.TestCase):
    def assertFails(self, status, fragment, call, *args, **kwargs):
        with self.assertRaises(liqmap.LiqmapError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.status, status, caught.exception)
        self.assertIn(fragment, caught.exception.message)
        return caught.exception

    def test_bad_json_and_unknown_keys_are_config_errors(self):
        market = small_market(100)
        self.assertFails(liqmap.Status.CONFIG, "", liqmap.compute, market, "{not json")
        self.assertFails(liqmap.Status.CONFIG, "bins", liqmap.compute, market,
                         {"grid": {"bins": 10}})

    def test_nan_is_an_input_error_naming_row_and_column(self):
        market = small_market(100)
        market["close"][9] = math.nan
        self.assertFails(liqmap.Status.INPUT, "row 10: column 'close'", liqmap.compute, market)

    def test_lengths_and_columns_are_checked(self):
        market = small_market(100)
        market["oi"] = market["oi"][:50]
        self.assertFails(liqmap.Status.INVALID_ARGUMENT, "'oi'", liqmap.compute, market)
        market = small_market(100)
        del market["close"]
        self.assertFails(liqmap.Status.INVALID_ARGUMENT, "close", liqmap.compute, market)
        market = small_market(100)
        market["time"] = market["ts"]  # two time columns: 'ts' is the one read
        market["note"] = market["open"]  # other columns are ignored, as pd.read_csv's are
        self.assertEqual(liqmap.compute(market, CONFIG, backend="cpu").shape, (200, 100))
        empty = {k: v[:0] for k, v in small_market(100).items()}
        self.assertFails(liqmap.Status.INVALID_ARGUMENT, "length is 0", liqmap.compute, empty)

    def test_unknown_backend(self):
        self.assertFails(liqmap.Status.INVALID_ARGUMENT, "backend", liqmap.compute,
                         small_market(100), backend="tpu")

    def test_compute_before_a_market(self):
        with liqmap.Engine() as engine:
            self.assertFails(liqmap.Status.NO_MARKET, "set_market", engine.compute)

    def test_closing_twice_is_harmless_and_use_after_close_fails(self):
        engine = liqmap.Engine()
        engine.close()
        engine.close()
        self.assertFails(liqmap.Status.INVALID_HANDLE, "NULL", engine.set_config, None)

    def test_the_library_rejects_a_double_free(self):
        lib = liqmap._errors.lib
        handle = liqmap._native.c_engine_p()
        self.assertEqual(lib.liqmap_engine_create(ctypes.byref(handle)), 0)
        self.assertEqual(lib.liqmap_engine_free(handle), 0)
        self.assertEqual(lib.liqmap_engine_free(handle), liqmap.Status.INVALID_HANDLE)
        self.assertIn("already freed", lib.liqmap_last_error().decode())

    def test_progress_can_cancel_and_its_exceptions_propagate(self):
        market = small_market(600)
        seen = []
        # One thread: the CPU backend reports progress from the calling thread only.
        liqmap.compute(market, CONFIG, backend="cpu", threads=1, progress=seen.append)
        self.assertTrue(seen and all(0 <= f <= 1 for f in seen))
        self.assertFails(liqmap.Status.CANCELLED, "cancelled", liqmap.compute, market, CONFIG,
                         backend="cpu", threads=1, progress=lambda fraction: False)

        def broken(fraction):
            raise ValueError("from the callback")
        with self.assertRaisesRegex(ValueError, "from the callback"):
            liqmap.compute(market, CONFIG, backend="cpu", threads=1, progress=broken)

    def test_threads_beyond_the_maximum_are_refused_before_ctypes_cuts_them(self):
        # 100000 was a SIGSEGV inside libgomp; 2**32 + 2 reached the C API as 2 (issue 30, item 3).
        market = small_market(200)
        self.assertEqual(liqmap.MAX_THREADS, 1024)
        for threads in (100000, 2 ** 32 + 2, -1, 1025, True, 2.0):
            self.assertFails(liqmap.Status.INVALID_ARGUMENT, "use 0 (all) to 1024", liqmap.compute, market,
                             CONFIG, backend="cpu", threads=threads)


if __name__ == "__main__":
    unittest.main()
