"""Result.append / Engine.append (liqmap_engine_append): a map computed on the first bars, then
appended to in chunks, equals one compute of all the bars under the pinned configuration."""
import unittest

import numpy as np
import pandas as pd

import liqmap
from liqmap import LiqmapError


def hourly_market(hours, seed):
    rng = np.random.default_rng(seed)
    close = 60000 * np.exp(np.cumsum(0.006 * rng.standard_normal(hours)))
    open_ = np.concatenate([[60000], close[:-1]])
    high = np.maximum(open_, close) * (1 + 0.003 * np.abs(rng.standard_normal(hours)))
    low = np.minimum(open_, close) * (1 - 0.003 * np.abs(rng.standard_normal(hours)))
    oi = 5e4 * np.exp(np.cumsum(0.01 * rng.standard_normal(hours)))  # coins, a new value every bar
    ts = pd.date_range("2026-01-01", periods=hours, freq="h", tz="UTC")
    return pd.DataFrame({"open": open_, "high": high, "low": low, "close": close,
                         "volume": 800 + 300 * np.abs(rng.standard_normal(hours)), "oi": oi},
                        index=pd.DatetimeIndex(ts, name="ts"))


CONFIG = {"grid": {"price_bins": 128}, "positions": {"samples_per_step": 8}, "flow": {"oi_unit": "base"}}


class LiveAppendTest(unittest.TestCase):
    def test_appending_in_chunks_equals_one_compute(self):
        market = hourly_market(400, 3)
        result = liqmap.compute(market.iloc[:300], config=CONFIG, backend="cpu", threads=2)
        for start, stop in ((300, 301), (301, 308), (308, 400)):
            result = result.append(market.iloc[start:stop], threads=2)
        self.assertEqual(result.steps, 400)
        pinned = result._engine.config()
        self.assertIsNotNone(pinned["grid"]["price_min"])
        full = liqmap.compute(market, config=pinned, backend="cpu", threads=2)
        np.testing.assert_array_equal(result.liquidated_long, full.liquidated_long)
        np.testing.assert_array_equal(result.liquidated_short, full.liquidated_short)
        for side in ("long", "short"):
            np.testing.assert_array_equal(result.grid(side, "raw", np.float64),
                                          full.grid(side, "raw", np.float64))
            np.testing.assert_array_equal(result.grid(side, "smoothed", np.float64),
                                          full.grid(side, "smoothed", np.float64))

    def test_a_provisional_bar_is_replaced_by_the_next_append(self):
        market = hourly_market(200, 5)
        result = liqmap.compute(market.iloc[:150], config=CONFIG, backend="cpu", threads=2)
        forming = market.iloc[150:151].copy()
        forming["volume"] *= 0.1
        shown = result.append(forming, provisional=True)
        self.assertEqual(shown.steps, 151)
        final = shown.append(market.iloc[150:200])
        self.assertEqual(final.steps, 200)
        full = liqmap.compute(market, config=final._engine.config(), backend="cpu", threads=2)
        np.testing.assert_array_equal(final.liquidated_long, full.liquidated_long)

    def test_bars_that_do_not_follow_are_refused(self):
        market = hourly_market(120, 7)
        result = liqmap.compute(market.iloc[:100], config=CONFIG, backend="cpu", threads=2)
        with self.assertRaises(LiqmapError) as raised:
            result.append(market.iloc[90:110])
        self.assertIn("not after the market's last bar", str(raised.exception))
        with self.assertRaises(LiqmapError):
            result.append(market.iloc[100:110].drop(columns=["volume"]))
        self.assertEqual(result.append(market.iloc[100:120]).steps, 120)  # and it still appends


if __name__ == "__main__":
    unittest.main()
