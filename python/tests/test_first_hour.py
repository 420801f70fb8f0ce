"""DataFrames as a trader first hands them in (issue 27 items 1 and 10, issue 30 item 7): read
with the rules and notices of a file, never silently otherwise."""
import os
import unittest

import numpy as np

import liqmap
from binance_files import write_binance_files
from test_liqmap import CONFIG, scratch_dir

try:
    import pandas as pd
except ImportError:
    pd = None


def unit_notice(notices):
    return next((n for n in notices if n.startswith("open interest read as")), None)


@unittest.skipIf(pd is None, "pandas is not installed")
class FrameAsFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch_dir()
        candles, metrics, _ = write_binance_files(cls.scratch.name)
        cls.frame = liqmap.read_market(candles, oi=metrics)
        # As a user saves a join and reads it back: a plain ts column, USD open interest.
        joined = cls.frame.reset_index()
        joined["oi"] = joined["oi"] * joined["close"]
        cls.joined_path = os.path.join(cls.scratch.name, "joined.csv")
        joined[["ts", "open", "high", "low", "close", "volume", "oi"]].to_csv(cls.joined_path,
                                                                              index=False)

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_usd_open_interest_in_a_read_csv_frame_is_read_as_usd(self):
        from_csv = liqmap.compute(pd.read_csv(self.joined_path), CONFIG, backend="cpu")
        from_file = liqmap.compute(self.joined_path, CONFIG, backend="cpu")
        notice = unit_notice(from_csv.notices)
        self.assertIsNotNone(notice, from_csv.notices)
        self.assertIn("USD (quote)", notice)
        # The file's own notice, word for word up to the option that overrides it.
        self.assertEqual(notice.split(";")[0], unit_notice(from_file.notices).split(";")[0])
        np.testing.assert_allclose(from_csv.grid(dtype=np.float64),
                                   from_file.grid(dtype=np.float64), rtol=1e-9, atol=1e-6)

    def test_a_stated_unit_the_data_contradicts_is_refused(self):
        frame = pd.read_csv(self.joined_path).rename(columns={"oi": "open_interest"})
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG, backend="cpu", oi_unit="base")
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("oi_unit='base' says the open interest is in coins (base)", caught.exception.message)

    def test_times_before_1990_are_refused(self):
        # pd.to_datetime(ms) without unit="ms" reads ms as ns: dates in January 1970.
        frame = self.frame.reset_index()
        frame["ts"] = pd.to_datetime(frame["ts"].astype("int64") // 10**6)
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG, backend="cpu")
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("the DataFrame: row 1: column 'ts'", caught.exception.message)
        self.assertIn("1970-01-01", caught.exception.message)
        self.assertIn('unit="ms"', caught.exception.message)

    def test_text_times_follow_the_file_rules(self):
        frame = self.frame.reset_index()
        frame["ts"] = frame["ts"].dt.strftime("%m/%d/%Y %H:%M")  # 05/01/2026: May or January?
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG, backend="cpu")
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("row 1: column 'ts' value '01/01/2026 00:00'", caught.exception.message)
        self.assertIn("ISO-8601", caught.exception.message)

    def test_window_times_follow_the_cli_rules(self):
        for bad in ("05/01/2026", "1969-12-31", 12):
            with self.subTest(bad=bad), self.assertRaises(liqmap.LiqmapError) as caught:
                liqmap.compute(self.frame, CONFIG, backend="cpu", from_=bad)
            self.assertIn("from_:", caught.exception.message)
            self.assertIn("from 1990 to 2200", caught.exception.message)

    def test_one_row_is_refused_as_the_cli_refuses_it(self):
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(self.frame.iloc[200:201], CONFIG, backend="cpu")
        self.assertEqual(caught.exception.status, liqmap.Status.INPUT)
        self.assertIn("a map needs 2 or more bars", caught.exception.message)

    def test_unsorted_and_duplicated_rows_are_sorted_with_a_notice(self):
        frame = self.frame.iloc[200:]
        reference = liqmap.compute(frame, CONFIG, backend="cpu")
        shuffled = pd.concat([frame.iloc[::-1], frame.iloc[10:20]])
        got = liqmap.compute(shuffled, CONFIG, backend="cpu")
        self.assertTrue(any("the rows are sorted by time" in n for n in got.notices), got.notices)
        self.assertIn("dropped 10 exact duplicate row(s)", got.notices)
        np.testing.assert_array_equal(got.grid(dtype=np.float64),
                                      reference.grid(dtype=np.float64))

    def test_missing_open_interest_before_its_first_value_is_the_warm_up(self):
        # A left merge of candles and open interest: NaN until the open interest starts.
        frame = self.frame.reset_index()
        frame.loc[:149, "oi"] = np.nan
        got = liqmap.compute(frame, {**CONFIG, "flow": {"warmup_days": 1}}, backend="cpu")
        with liqmap.Engine({**CONFIG, "flow": {"warmup_days": 1}}) as engine:
            engine.set_market(frame)
            self.assertEqual(engine.notices()["warmup_rows"], 150)
        self.assertTrue(any("before its first value as the warm-up" in n for n in got.notices))
        with liqmap.Engine({**CONFIG, "flow": {"warmup_days": 0}}) as engine:
            engine.set_market(frame)
            self.assertEqual(engine.market_frame().shape[0], frame.shape[0] - 150)


class AsUsersTypeItTest(unittest.TestCase):
    """Python calls as users type them (issue 27 item 10)."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch_dir()
        cls.market = liqmap.synthetic_market(steps=600, seed=3)

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_a_config_path_is_read_as_the_file(self):
        path = os.path.join(self.scratch.name, "fitted.json")
        with open(path, "w") as f:
            f.write('{"grid": {"price_bins": 48}, "positions": {"samples_per_step": 2}}')
        got = liqmap.compute(self.market, path, backend="cpu")
        self.assertEqual(got.shape[0], 48)
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(self.market, os.path.join(self.scratch.name, "none.json"))
        self.assertEqual(caught.exception.status, liqmap.Status.CONFIG)
        self.assertIn("neither JSON text", caught.exception.message)

    def test_window_keywords_as_users_type_them(self):
        ts = self.market["ts"]
        expected = liqmap.compute(self.market, CONFIG, backend="cpu", from_=int(ts[100]),
                                  to=int(ts[400])).column_ts
        for keywords in ({"start": int(ts[100]), "end": int(ts[400])},
                         {"from": int(ts[100]), "until": int(ts[400])}):
            with self.subTest(keywords=list(keywords)):
                got = liqmap.compute(self.market, CONFIG, backend="cpu", **keywords)
                np.testing.assert_array_equal(got.column_ts, expected)

    def test_a_windowed_results_steps_line_up_with_its_liquidations(self):
        # to_xarray after a window raised "conflicting sizes": its step axis was the whole market's.
        ts = self.market["ts"]
        got = liqmap.compute(self.market, CONFIG, backend="cpu", from_=int(ts[100]), to=int(ts[400]))
        self.assertEqual(len(got.step_ts), len(got.liquidated_long))
        self.assertEqual(int(got.step_ts[0]), int(ts[100]))
        self.assertEqual(int(got.step_ts[-1]), int(ts[400]))
        try:
            import xarray  # noqa: F401
        except ImportError:
            return
        data = got.to_xarray()
        self.assertEqual(data.sizes["step"], len(got.liquidated_long))

    @unittest.skipIf(pd is None, "pandas is not installed")
    def test_an_open_interest_frame_beside_a_frame_is_a_clear_error(self):
        frame = pd.DataFrame({k: v for k, v in self.market.items() if k != "oi"})
        oi = pd.DataFrame({"ts": self.market["ts"], "oi": self.market["oi"]})
        with self.assertRaises(liqmap.LiqmapError) as caught:
            liqmap.compute(frame, CONFIG, oi=oi)
        self.assertIn("carries its own 'oi' column", caught.exception.message)


if __name__ == "__main__":
    unittest.main()


class ConsoleScriptTest(unittest.TestCase):
    """`pip install` puts a `liqmap` command on PATH (issue 27 item 10): the package declares the
    console script, and it runs the engine's command line with the arguments given."""

    def test_the_package_declares_a_liqmap_command(self):
        import tomllib
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with open(os.path.join(here, "pyproject.toml"), "rb") as f:
            scripts = tomllib.load(f)["project"].get("scripts", {})
        self.assertEqual(scripts.get("liqmap"), "liqmap._cli:main")

    def test_the_command_runs_the_cli_with_its_arguments(self):
        if not os.environ.get("LIQMAP_CLI"):
            self.skipTest("LIQMAP_CLI is not set (ctest sets it)")
        import subprocess
        import sys
        run = subprocess.run([sys.executable, "-c", "import sys; from liqmap._cli import main; sys.argv[0] = 'liqmap'; main()",
                              "info", "--json"], capture_output=True, text=True, timeout=60,
                             cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn('"version"', run.stdout)
