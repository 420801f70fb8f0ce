"""Peak RSS of the Python package on the demo-sized map (2,048 bins x 10,080 one-minute steps,
the demo's five venues), phase by phase, each phase in a fresh process so peaks do not mask
each other. Prints a Markdown table. Usage:

    LIQMAP_LIBRARY=build/libliqmap.so.0 PYTHONPATH=python python3 bench/python_memory.py
"""
import json
import resource
import subprocess
import sys
import time

PHASES = {
    "import": "",
    "compute": "r = compute()",
    "compute + heatmap": "r = compute(); r.heatmap",
    "compute + heatmap + clusters_at + review": "r = compute(); r.heatmap; r.clusters_at(-1000); r.review()",
    "compute + long + short (to_xarray)": "r = compute(); r.to_xarray()",
    "compute + heatmap, engine closed": "r = compute(); h = r.heatmap; r.close()",
}

PRELUDE = """
import liqmap
def compute():
    config = liqmap.demo_config()
    config["grid"]["price_bins"] = 2048
    return liqmap.compute(liqmap.synthetic_market(10080, seed=config["positions"]["seed"]), config)
"""


def child(code):
    started = time.perf_counter()
    exec(PRELUDE + code, {})
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mib": peak_mib, "seconds": time.perf_counter() - started}))


def main():
    print("| phase | peak RSS (MiB) | wall (s) |\n|---|---|---|")
    for name, code in PHASES.items():
        done = subprocess.run([sys.executable, __file__, "--child", code], capture_output=True,
                              text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {name} | {row['peak_mib']:.0f} | {row['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
