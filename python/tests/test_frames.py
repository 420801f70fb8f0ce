"""pandas in and out: the engine's readers through read_market, DataFrames as pd.read_csv gives
them, and the Result's frames, clusters, review, plot and output folder against the CLI's."""
import json
import os
import subprocess
import unittest

import numpy as np

import liqmap
from binance_files import write_binance_files
from test_liqmap import CONFIG, scratch_dir

try:
    import pandas as pd
except ImportError:
    pd = None


def cli():
    try:
        return liqmap._batch.cli_path()
    except liqmap.LiqmapError:
        return None


@unittest.skipIf(pd is None, "pandas is not installed")
class ReadMarketTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch_dir()
        cls.candles, cls.metrics, cls.market = write_binance_files(cls.scratch.name)
        cls.frame = liqmap.read_market(cls.candles, oi=cls.metrics)

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_the_readers_join_open_interest_as_of(self):
        frame = self.frame
        self.assertEqual(list(frame.columns), ["open", "high", "low", "close", "volume", "oi",
                                               "long_share"])
        self.assertEqual(str(frame.index.tz), "UTC")
        self.assertEqual(frame.attrs["oi_unit"], "base")
        np.testing.assert_array_equal(frame["close"].to_numpy(), self.market["close"])
        # A metrics value stamped 00:05 is first used by the candle that closes at 00:05 (open
        # 00:04), never by an earlier one (no look-ahead).
        oi = frame["oi"].to_numpy()
        first = np.flatnonzero(oi != oi[0])[0]
        self.assertEqual((first + 1) % 5, 0)
        self.assertTrue(np.all(oi[:first] == oi[0]))

    def test_warm_up_rows_follow_a_sliced_frame(self):
        warmup = self.frame.attrs["warmup_rows"]
        self.assertEqual(warmup, 99)  # the candles closing before the first value, at minute 100
        with liqmap.Engine() as engine:
            engine.set_market(self.frame)
            self.assertEqual(engine.notices()["warmup_rows"], warmup)
            engine.set_market(self.frame.iloc[40:])
            self.assertEqual(engine.notices()["warmup_rows"], warmup - 40)
            engine.set_market(self.frame.iloc[500:])
            self.assertEqual(engine.notices()["warmup_rows"], 0)

    def test_a_bad_row_names_file_line_and_column(self):
        bad = os.path.join(self.scratch.name, "bad.csv")
        with open(bad, "w") as f:
            f.write("ts,open,high,low,close\n2026-01-01T00:00:00Z,10,12,9,11\n"
                    "2026-01-01T00:01:00Z,10,12,abc,11\n")
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.read_market(bad)
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("bad.csv:3", caught.exception.message)
        self.assertIn("low", caught.exception.message)

    def test_a_missing_file_is_an_io_error(self):
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.read_market(os.path.join(self.scratch.name, "none.csv"))
        self.assertEqual(caught.exception.status, liqmap.Status.IO)

    def test_frame_and_files_give_the_same_map(self):
        from_files = liqmap.compute(self.candles, CONFIG, oi=self.metrics, backend="cpu")
        from_frame = liqmap.compute(self.frame, CONFIG, backend="cpu")
        np.testing.assert_array_equal(from_files.grid(dtype=np.float64),
                                      from_frame.grid(dtype=np.float64))

    def test_dataframes_as_read_csv_gives_them(self):
        reference = liqmap.compute(self.frame, CONFIG, backend="cpu").grid(dtype=np.float64)
        plain = self.frame.reset_index()
        plain.attrs = dict(self.frame.attrs)
        ts = plain.pop("ts")
        variants = {
            "iso strings in 'timestamp'": plain.assign(
                timestamp=ts.dt.strftime("%Y-%m-%dT%H:%M:%SZ")),
            "naive datetimes in 'time'": plain.assign(time=ts.dt.tz_localize(None)),
            "epoch seconds in 'open_time'": plain.assign(open_time=ts.astype("int64") // 10**9),
            "tz-aware index in New York": self.frame.tz_convert("America/New_York"),
            "extra columns": self.frame.assign(symbol="BTCUSDT", note=1.5),
        }
        for name, frame in variants.items():
            frame.attrs = dict(self.frame.attrs)
            with self.subTest(name):
                got = liqmap.compute(frame, CONFIG, backend="cpu").grid(dtype=np.float64)
                np.testing.assert_array_equal(got, reference)

    def test_bad_times_are_named(self):
        frame = self.frame.reset_index()
        frame["ts"] = frame["ts"].astype("int64") // 10**9
        frame.loc[4, "ts"] = 12
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG)
        self.assertIn("row 5", caught.exception.message)
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(self.frame.reset_index(drop=True), CONFIG)
        self.assertIn("no time", caught.exception.message)


@unittest.skipIf(pd is None, "pandas is not installed")
class ResultOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch_dir()
        cls.candles, cls.metrics, _ = write_binance_files(cls.scratch.name)
        cls.result = liqmap.compute(liqmap.read_market(cls.candles, oi=cls.metrics), CONFIG,
                                    backend="cpu", threads=1)
        cls.out = cls.result.save(os.path.join(cls.scratch.name, "out"))

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_grids_are_float32_of_the_engines_values(self):
        r = self.result
        self.assertEqual(r.heatmap.dtype, np.float32)
        exact = r.grid("total", "smoothed", np.float64)
        np.testing.assert_array_equal(r.heatmap, exact.astype(np.float32))
        np.testing.assert_array_equal(np.load(os.path.join(self.out, "heatmap.npy")), r.heatmap)
        # 1,500 candles, the first 99 before the first metrics snapshot: the warm-up, not drawn.
        self.assertIn("200 price bins x 1401 columns", repr(r))

    def test_save_writes_the_clis_files(self):
        names = set(os.listdir(self.out))
        for name in ("heatmap.npy", "long.npy", "short.npy", "axes.json", "liquidations.csv",
                     "prices.csv", "clusters.json", "tracks.csv", "review.md", "heatmap.html"):
            self.assertIn(name, names)
        with open(os.path.join(self.out, "review.md")) as f:
            self.assertEqual(self.result.review(), f.read())

    def test_same_files_as_the_cli(self):
        exe = cli()
        if exe is None:
            self.skipTest("no liqmap executable")
        config = os.path.join(self.scratch.name, "config.json")
        with open(config, "w") as f:
            json.dump(CONFIG, f)
        out = os.path.join(self.scratch.name, "cli-out")
        subprocess.run([exe, "compute", "--market", self.candles, "--oi", self.metrics,
                        "--config", config, "--backend", "cpu", "--threads", "1", "--out", out,
                        "--quiet"], check=True)
        for name in ("heatmap.npy", "long.npy", "short.npy"):
            np.testing.assert_array_equal(np.load(os.path.join(out, name)),
                                          np.load(os.path.join(self.out, name)), err_msg=name)
        for name in ("clusters.json", "liquidations.csv", "review.md"):
            with open(os.path.join(out, name)) as a, open(os.path.join(self.out, name)) as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_a_window_is_drawn_as_the_cli_draws_it(self):
        exe = cli()
        if exe is None:
            self.skipTest("no liqmap executable")
        config = os.path.join(self.scratch.name, "config.json")
        with open(config, "w") as f:
            json.dump(CONFIG, f)
        out = os.path.join(self.scratch.name, "cli-window")
        subprocess.run([exe, "compute", "--market", self.candles, "--oi", self.metrics,
                        "--config", config, "--backend", "cpu", "--from", "2026-01-01T10:00",
                        "--to", "2026-01-01T20:00", "--out", out, "--quiet"], check=True)
        frame = liqmap.read_market(self.candles, oi=self.metrics)
        result = liqmap.compute(frame, CONFIG, backend="cpu", from_="2026-01-01T10:00",
                                to=pd.Timestamp("2026-01-01 20:00", tz="UTC"))
        self.assertEqual(result.shape[1], 601)
        self.assertEqual(result.times[0], pd.Timestamp("2026-01-01 10:00", tz="UTC"))
        mine = result.save(os.path.join(self.scratch.name, "py-window"), outputs="npy,clusters")
        for name in ("heatmap.npy", "clusters.json", "liquidations.csv"):
            with open(os.path.join(out, name), "rb") as a, open(os.path.join(mine, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)
        axes = []
        for folder in (out, mine):
            with open(os.path.join(folder, "axes.json")) as f:
                axes.append(json.load(f))
            for timing in ("stage_seconds", "total_seconds", "threads"):
                del axes[-1]["stats"][timing]
        self.assertEqual(axes[0], axes[1])  # the fitted price range and config included
        self.assertEqual(result.clusters_at()["column"], 600)
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG, from_="2027-01-01")
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("no bar lies in the window", caught.exception.message)

    def test_clusters_at_a_time_use_clusters_json_keys(self):
        r = self.result
        at = r.times[700]
        clusters = r.clusters_at(at)
        self.assertEqual(clusters["column"], 700)
        self.assertEqual(clusters["ts"], int(r.column_ts[700]))
        self.assertEqual(r.clusters_at(str(at))["column"], 700)
        self.assertEqual(r.clusters_at(700)["column"], 700)
        self.assertEqual(r.clusters_at(r.times[700] + pd.Timedelta(seconds=30))["column"], 700)
        peaks = clusters["peaks"]
        self.assertIn("usd", peaks.columns)
        self.assertIn("prominence_usd", peaks.columns)
        column = r.grid(dtype=np.float64)[:, 700]
        np.testing.assert_array_equal(peaks["usd"].to_numpy(), column[peaks["bin"].to_numpy()])
        last = r.clusters_at()
        with open(os.path.join(self.out, "clusters.json")) as f:
            written = json.load(f)
        self.assertEqual(last["peaks"].to_dict("records"), written["peaks"])
        self.assertEqual(last["summary"], written["summary"])

    def test_to_frame_is_the_long_form_of_the_grids(self):
        r = self.result
        frame = r.to_frame(columns=slice(100, 103))
        self.assertEqual(list(frame.columns), ["ts", "price", "long_usd", "short_usd"])
        self.assertEqual(len(frame), 3 * r.shape[0])
        row = frame.iloc[r.shape[0] + 17]  # column 101, bin 17
        self.assertEqual(row["ts"], r.times[101])
        self.assertEqual(row["price"], r.price_centres[17])
        self.assertEqual(row["long_usd"], r.smooth_long[17, 101])
        self.assertEqual(row["short_usd"], r.smooth_short[17, 101])
        sparse = r.to_frame(drop_zero=True)
        self.assertTrue(((sparse["long_usd"] != 0) | (sparse["short_usd"] != 0)).all())

    def test_to_xarray(self):
        try:
            import xarray  # noqa: F401
        except ImportError:
            self.skipTest("xarray is not installed")
        data = self.result.to_xarray()
        self.assertEqual(data["long_usd"].shape, self.result.shape)
        self.assertEqual(float(data["short_usd"].isel(price=5, ts=9)),
                         float(self.result.smooth_short[5, 9]))
        self.assertEqual(data["close"].values[-1], self.result.clusters_at()["price"])

    def test_plot_draws_the_heatmap_like_heatmap_png(self):
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            self.skipTest("matplotlib is not installed")
        figure, ax = plt.subplots()
        self.assertIs(self.result.plot(ax=ax), ax)
        self.assertEqual(len(ax.images), 1)
        self.assertEqual(len(ax.lines), 1)
        np.testing.assert_array_equal(ax.lines[0].get_ydata(), self.result.column_close)
        # As heatmap.png (issue 27 item 10): viridis, a colour bar in USD per bin, readable dates.
        import matplotlib.dates as mdates
        self.assertEqual(ax.images[0].get_cmap().name, "viridis")
        self.assertEqual(len(figure.axes), 2, "a colour bar beside the heatmap")
        self.assertIn("USD per", figure.axes[1].get_ylabel())
        self.assertIsInstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
        path = os.path.join(self.scratch.name, "plot.png")
        figure.savefig(path)
        plt.close(figure)
        self.assertGreater(os.path.getsize(path), 10_000)


if __name__ == "__main__":
    unittest.main()
