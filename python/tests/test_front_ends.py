"""One map job for every front end: liqmap.compute(...).save() and liqmap.dask.run_job write the
same files as `liqmap compute` for the same market, config and window, with the same bytes
(grids, liquidations, the liquidation map). tests/c_api/test_front_ends.cpp checks batch and
the C API itself."""
import json
import os
import subprocess
import unittest

import liqmap
import liqmap.dask
from test_batch import cli_available
from test_liqmap import scratch_dir

CONFIG = {"grid": {"price_bins": 96}, "positions": {"samples_per_step": 3}}
FROM, TO = "2026-01-01T06:00:00Z", "2026-01-01T20:00:00Z"
COMPARED = ("heatmap.npy", "long.npy", "short.npy", "liquidations.csv", "liquidation_map.csv",
            "clusters.json", "prices.csv")


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(root, name), folder)
                  for root, _, names in os.walk(folder) for name in names)


@unittest.skipUnless(cli_available(), "no liqmap executable")
class FrontEndsTest(unittest.TestCase):
    def assert_same_map(self, a, b):
        self.assertEqual(files_under(a), files_under(b))
        self.assertIn("liquidation_map.csv", files_under(a))
        for name in COMPARED:
            with open(os.path.join(a, name), "rb") as f, open(os.path.join(b, name), "rb") as g:
                self.assertEqual(f.read(), g.read(), name)

    def test_python_and_dask_write_what_compute_writes(self):
        with scratch_dir() as work:
            cli = liqmap._batch.cli_path()
            market = os.path.join(work, "market.csv")
            config = os.path.join(work, "config.json")
            subprocess.run([cli, "synth", "--steps", "1440", "--seed", "11", "--out", market],
                           check=True)
            with open(config, "w") as f:
                json.dump(CONFIG, f)
            subprocess.run([cli, "compute", "-q", "--market", market, "--config", config,
                            "--from", FROM, "--to", TO, "--out", os.path.join(work, "cli")],
                           check=True)

            result = liqmap.compute(market, config=CONFIG, from_=FROM, to=TO)
            try:
                result.save(os.path.join(work, "python"))
            finally:
                result.close()
            self.assert_same_map(os.path.join(work, "cli"), os.path.join(work, "python"))

            summary = liqmap.dask.run_job({"market": market, "config": config, "from": FROM,
                                           "to": TO, "out": os.path.join(work, "dask")})
            self.assertTrue(summary["ok"], summary.get("error"))
            self.assert_same_map(os.path.join(work, "cli"), os.path.join(work, "dask"))


if __name__ == "__main__":
    unittest.main()
