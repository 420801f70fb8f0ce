"""liqmap._backtest over the installed libliqmap: the cascade's closed-form answer, the
backtest's report from an Engine, and errors raising LiqmapError."""
import math
import unittest

import numpy as np

import liqmap
from liqmap import _backtest  # also liqmap.backtest, liqmap.cascade


def one_cluster_profile():
    price = 80.05 + 0.1 * np.arange(400)
    longs = np.zeros(400)
    longs[170] = 1e9  # 97.05
    return price, longs, np.zeros(400)


class CascadeTest(unittest.TestCase):
    def test_one_cluster_within_reach(self):
        price, longs, shorts = one_cluster_profile()
        out = _backtest.cascade(price, longs, shorts, start_price=100, shock=-0.04, sigma_daily=0.02,
                                volume_daily_usd=1e10)
        self.assertAlmostEqual(out["final_price"], 96 * math.exp(-0.02 * math.sqrt(0.1)), places=10)
        self.assertEqual(out["long_usd"], 1e9)
        self.assertEqual(out["rounds"], 1)
        self.assertEqual(len(out["path"]), 2)
        same = _backtest.cascade(price, longs, shorts, start_price=100, target=96, sigma_daily=0.02,
                                 volume_daily_usd=1e10)
        self.assertEqual(same["final_price"], out["final_price"])

    def test_errors(self):
        price, longs, shorts = one_cluster_profile()
        with self.assertRaises(liqmap.LiqmapError) as caught:
            _backtest.cascade(price, longs, shorts, start_price=100, shock=-0.04, sigma_daily=0.02,
                              volume_daily_usd=0)
        self.assertEqual(caught.exception.status, liqmap.Status.INVALID_ARGUMENT)
        with self.assertRaises(ValueError):
            _backtest.cascade(price, longs, shorts[:-1], start_price=100, shock=-0.04, sigma_daily=0.02,
                              volume_daily_usd=1e10)
        with self.assertRaises(ValueError):
            _backtest.parse_duration_ms("4 hours")


class BacktestTest(unittest.TestCase):
    def test_report_from_an_engine(self):
        market = liqmap.synthetic_market(steps=3000, seed=3)
        with liqmap.Engine({"grid": {"price_bins": 300}, "positions": {"samples_per_step": 8}}) as engine:
            engine.set_market(market)
            engine.compute(backend="cpu", threads=2)
            report = _backtest.backtest(engine, min_distance=0.2, max_distance=2, horizons=("30m", "2h"))
            with self.assertRaises(liqmap.LiqmapError):
                _backtest.backtest(engine, min_distance=3, max_distance=2)
        self.assertEqual([h["horizon_hours"] for h in report["horizons"]], [0.5, 2.0])
        cluster = report["horizons"][0]["all"]["rules"]["cluster"]["first"]
        self.assertLessEqual(cluster["low"], cluster["rate"])
        self.assertLessEqual(cluster["rate"], cluster["high"])


    def test_the_public_route_gives_the_same_report(self):
        market = liqmap.synthetic_market(steps=3000, seed=3)
        config = {"grid": {"price_bins": 300}, "positions": {"samples_per_step": 8}}
        result = liqmap.compute(market, config, backend="cpu", threads=2)
        with liqmap.Engine(config) as engine:
            engine.set_market(market)
            engine.compute(backend="cpu", threads=2)
            direct = _backtest.backtest(engine, min_distance=0.2, max_distance=2, horizons=("2h",))
        self.assertEqual(result.backtest(min_distance=0.2, max_distance=2, horizons=("2h",)), direct)
        self.assertIs(liqmap.cascade, _backtest.cascade)
        self.assertIn("backtest", dir(liqmap))


if __name__ == "__main__":
    unittest.main()
