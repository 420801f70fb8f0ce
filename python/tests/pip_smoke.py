"""The first session of a new user, run in a fresh venv after `pip install ./python`: Binance zip
+ metrics -> read_market -> compute -> clusters_at -> plot -> save. Exits nonzero on failure."""
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import liqmap  # noqa: E402
from binance_files import write_binance_files  # noqa: E402


def main(prefix):
    assert liqmap.__file__.startswith(prefix), f"{liqmap.__file__} is not in the venv {prefix}"
    assert liqmap.library_path().startswith(os.path.dirname(liqmap.__file__)), liqmap.library_path()
    assert liqmap.__version__ == liqmap.version()
    with tempfile.TemporaryDirectory() as work:
        candles, metrics, _ = write_binance_files(work)
        market = liqmap.read_market(candles, oi=metrics)
        result = liqmap.compute(market, {"grid": {"price_bins": 256}})
        clusters = result.clusters_at(market.index[-300])
        assert clusters["column"] == result.shape[1] - 300, clusters["column"]
        assert {"usd", "price", "side"} <= set(clusters["peaks"].columns)
        figure, ax = plt.subplots()
        result.plot(ax=ax)
        figure.savefig(os.path.join(work, "plot.png"))
        out = result.save(os.path.join(work, "out"))
        written = np.load(os.path.join(out, "heatmap.npy"))
        assert np.array_equal(written, result.heatmap)
        print(f"liqmap {liqmap.__version__} from {liqmap.__file__}: {result!r}; "
              f"{len(clusters['peaks'])} peaks at {clusters['time']}; files: "
              f"{', '.join(sorted(os.listdir(out)))}")


if __name__ == "__main__":
    main(sys.argv[1])
