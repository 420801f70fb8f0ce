#!/usr/bin/env python3
"""heatmap.html in a real browser: it renders, its brightest band is heatmap.npy's, a hover
reports the grid's values, wheel zoom, drag, double-click and the arrow keys do what they say.

  test_heatmap_page.py --cli build/liqmap --work DIR   # runs a small demo into DIR, then checks
  test_heatmap_page.py --run demo-out [--shots DIR]     # checks an existing run's page

Exits 77 (ctest: skipped) when no Chromium is installed.
"""
import argparse
import array
import ast
import math
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
# 16-bit codes over 9 decades: a code is within 0.016% of the value; a little room for float32.
QUANTISATION_RTOL = 3e-4
HOOK = "window.liqmapTest"

failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def read_npy(path):
    """(rows, cols, values) of a 2-D little-endian float32 or float16 .npy file."""
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            raise ValueError(f"{path}: not a .npy file")
        major = f.read(2)[0]
        header_len = int.from_bytes(f.read(2 if major == 1 else 4), "little")
        header = ast.literal_eval(f.read(header_len).decode("latin1"))
        rows, cols = header["shape"]
        if header["fortran_order"]:
            raise ValueError(f"{path}: Fortran order is not expected")
        raw = f.read()
    typecode = {"<f4": "f", "<f2": None}[header["descr"]]
    if typecode:
        values = array.array(typecode)
        values.frombytes(raw)
    else:
        values = memoryview(raw).cast("e")
    return rows, cols, values


def run_small_demo(cli, work):
    run = os.path.join(work, "run")
    os.makedirs(work, exist_ok=True)
    # Two days, 1,024 bins: big enough that the page keeps every 2nd column, fast on 2 cores.
    subprocess.run([cli, "demo", "--steps", "2880", "--samples", "8", "--bins", "1024", "--threads", "2",
                    "--quiet", "--out", run], check=True)
    return run


def static_checks(page_path):
    text = open(page_path, encoding="utf-8").read()
    size_mb = os.path.getsize(page_path) / 1e6
    print(f"info  {page_path}: {size_mb:.2f} MB")
    check(size_mb < 15, f"the page is under 15 MB ({size_mb:.2f} MB)")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?https?:""", text)
    check(not external, "the page references nothing outside itself")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", help="the liqmap executable (runs a small demo)")
    parser.add_argument("--work", help="folder for the small demo's run")
    parser.add_argument("--run", help="an existing run folder with heatmap.html and the .npy grids")
    parser.add_argument("--shots", help="write screenshots at two zoom levels here")
    args = parser.parse_args()

    chromium = cdp.find_chromium()
    if not chromium:
        print("SKIP: no Chromium found (install Debian's `chromium`, or set LIQMAP_CHROMIUM)")
        return SKIP
    if args.run:
        run = args.run
    elif args.cli and args.work:
        run = run_small_demo(args.cli, args.work)
    else:
        parser.error("give --run, or --cli and --work")
    page = os.path.join(run, "heatmap.html")
    static_checks(page)

    browser = cdp.Browser(chromium)
    try:
        browser.call("Network.enable")
        seconds = browser.open(page, f"{HOOK} && {HOOK}.ready")
        check_page(browser, run, seconds, args.shots)
        check_first_hour(browser)
        check_liquidation_map(browser, run, args.shots)
        requests = [e["params"]["request"]["url"] for e in browser.events if e["method"] == "Network.requestWillBeSent"]
        foreign = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
        check(not foreign, f"no network request while the page was used ({len(requests)} requests, foreign: {foreign[:3]})")
    finally:
        browser.close()
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def check_page(browser, run, open_seconds, shots):
    ev = browser.evaluate
    load_ms = ev(f"{HOOK}.loadMs()")
    print(f"info  opened in {open_seconds:.2f} s wall (navigation to ready); first render done at {load_ms:.0f} ms; "
          f"a render takes {ev(f'{HOOK}.renderMs()'):.0f} ms")
    check(load_ms < 5000, f"the page is drawn within 5 s of navigation ({load_ms:.0f} ms)")

    pixels = ev(f"{HOOK}.plotPixels()")
    check(pixels["litFraction"] > 0.05, f"the heatmap is not blank ({100 * pixels['litFraction']:.1f}% of the plot lit)")
    check(pixels["distinctLevels"] >= 32, f"it uses the colour scale ({pixels['distinctLevels']} distinct levels)")

    bins, cols, total = read_npy(os.path.join(run, "heatmap.npy"))
    _, _, longs = read_npy(os.path.join(run, "long.npy"))
    _, _, shorts = read_npy(os.path.join(run, "short.npy"))
    meta = ev(f"{HOOK}.columns()")
    colour = ev(f"{HOOK}.colour()")
    view = ev(f"{HOOK}.visibleRange()")
    check(meta["binGroup"] == 1 and len(meta["edges"]) == bins + 1, "the page keeps every price bin of this run")
    visible = [c for c, t in zip(meta["gridColumns"], meta["ts"]) if view["tsFrom"] <= t <= view["tsTo"]]
    # Columns are kept densely near the end and sparsely before: weigh each by the time it spans.
    times = meta["ts"]
    span = {meta["gridColumns"][i]: (times[min(i + 1, len(times) - 1)] - times[max(i - 1, 0)]) / 2
            for i in range(len(times))}
    weight = sum(span[c] for c in visible)

    # The brightest band: per bin, the mean colour level over the columns shown, as the page draws it.
    def level(usd):
        t = min(1.0, max(0.0, usd / colour["capUsd"]))
        return round(255 * t ** colour["gamma"]) if usd > 0 else 0
    edges = meta["edges"]
    shown = [b for b in range(bins) if edges[b + 1] > view["priceLow"] and edges[b] < view["priceHigh"]]
    score = {b: sum(span[c] * level(total[b * cols + c]) for c in visible) / weight for b in shown}
    best_bin = max(score, key=score.get)
    band = pixels["brightestBand"]
    band_score = max(score[b] for b in range(band["firstBin"], band["lastBin"] + 1) if b in score)
    print(f"info  brightest band on the canvas: {band['priceLow']:.0f}..{band['priceHigh']:.0f} (bins "
          f"{band['firstBin']}..{band['lastBin']}); in heatmap.npy: bin {best_bin} at "
          f"{edges[best_bin]:.0f}..{edges[best_bin + 1]:.0f}")
    check(band_score >= 0.9 * score[best_bin],
          f"the canvas's brightest band is heatmap.npy's (level {band_score:.1f} vs the best {score[best_bin]:.1f})")
    check(abs(band["meanLevel"] - score[best_bin]) <= 0.15 * score[best_bin] + 2,
          f"its brightness matches the grid's (canvas {band['meanLevel']:.1f}, npy {score[best_bin]:.1f})")

    # Hover with real mouse events over the largest cell of the column in the middle of the view,
    # and over its largest long cell (below the close), so both sides are read back.
    middle = (view["tsFrom"] + view["tsTo"]) / 2
    column = meta["gridColumns"][min(range(len(times)), key=lambda i: abs(times[i] - middle))]
    for target in (max(shown, key=lambda b: total[b * cols + column]), max(shown, key=lambda b: longs[b * cols + column])):
        check_hover(browser, meta, edges, cols, longs, shorts, column, target)

    rect = ev(f"{HOOK}.plotRect()")
    cx, cy = round(rect["x"] + rect["width"] / 2), round(rect["y"] + rect["height"] / 2)
    if shots:
        os.makedirs(shots, exist_ok=True)
        browser.screenshot(os.path.join(shots, "page-overview.png"))

    # Wheel zoom at the centre: both spans shrink, the point under the mouse stays put.
    before = ev(f"{HOOK}.visibleRange()")
    browser.mouse("mouseWheel", cx, cy, deltaX=0, deltaY=-600)
    after = ev(f"{HOOK}.visibleRange()")
    t_ratio = (before["tsTo"] - before["tsFrom"]) / (after["tsTo"] - after["tsFrom"])
    p_ratio = (before["priceHigh"] - before["priceLow"]) / (after["priceHigh"] - after["priceLow"])
    check(t_ratio > 2 and p_ratio > 2, f"the wheel zooms in on both axes (time x{t_ratio:.2f}, price x{p_ratio:.2f})")
    anchor_before = ev(f"{HOOK}.cellAt({cx}, {cy})")
    browser.mouse("mouseWheel", cx, cy, deltaX=0, deltaY=-600, modifiers=8)  # shift: time only
    shift = ev(f"{HOOK}.visibleRange()")
    check(shift["priceLow"] == after["priceLow"] and shift["tsTo"] - shift["tsFrom"] < after["tsTo"] - after["tsFrom"],
          "shift+wheel zooms the time axis only")
    anchor_after = ev(f"{HOOK}.cellAt({cx}, {cy})")
    check(abs(anchor_after["bin"] - anchor_before["bin"]) <= 1, "the cell under the mouse stays under it while zooming")
    if shots:
        browser.screenshot(os.path.join(shots, "page-zoomed.png"))

    # Drag 200 px right and 100 px down: earlier times and higher prices come into view.
    browser.mouse("mousePressed", cx, cy, button="left", clickCount=1)
    browser.mouse("mouseMoved", cx + 100, cy + 50, button="left")
    browser.mouse("mouseMoved", cx + 200, cy + 100, button="left")
    browser.mouse("mouseReleased", cx + 200, cy + 100, button="left", clickCount=1)
    dragged = ev(f"{HOOK}.visibleRange()")
    check(dragged["tsFrom"] < shift["tsFrom"] and dragged["priceLow"] > shift["priceLow"],
          "dragging pans both axes the way the mouse moved")

    ts_before = ev(f"{HOOK}.cursorTs()")
    browser.key("ArrowRight", "ArrowRight", 39)
    ts_after = ev(f"{HOOK}.cursorTs()")
    following = meta["ts"][meta["ts"].index(ts_before) + 1]
    check(ts_after == following, f"ArrowRight moves the time cursor one column ({ts_after - ts_before} ms)")

    for clicks in (1, 2):
        browser.mouse("mousePressed", cx, cy, button="left", clickCount=clicks)
        browser.mouse("mouseReleased", cx, cy, button="left", clickCount=clicks)
    check(ev(f"{HOOK}.visibleRange()") == before, "double-click restores the initial view")

    gamma_lit = ev(f"{HOOK}.plotPixels()")["litFraction"]
    ev(f"{HOOK}.setIntensity('log')")
    log_lit = ev(f"{HOOK}.plotPixels()")["litFraction"]
    check(log_lit >= gamma_lit, f"the log switch redraws with more of the low values lit ({gamma_lit:.3f} -> {log_lit:.3f})")


def check_first_hour(browser):
    """Issue 27 item 7: candles, a time axis with the year and even ticks, log ticks spread
    evenly, the brightness and threshold sliders."""
    ev = browser.evaluate
    ev(f"{HOOK}.setColourControls(0, 0)")
    # Zoom in on time until one column is one candle, then read a candle's wick and body back.
    rect = ev(f"{HOOK}.plotRect()")
    cx, cy = round(rect["x"] + rect["width"] / 2), round(rect["y"] + rect["height"] / 2)
    for _ in range(12):
        if ev(f"{HOOK}.candles()")["group"] == 1:
            break
        ev(f"{HOOK}.zoom(2, {cx}, {cy}, 'both')")
        ev(f"{HOOK}.setColourControls(0, 0)")  # draws now (a zoom draws on the next frame)
    c = ev(f"{HOOK}.candles()")
    meta = ev(f"{HOOK}.columns()")
    view = ev(f"{HOOK}.visibleRange()")
    check(c["group"] == 1, f"zoomed in, one candle per column (group {c['group']})")
    visible = [i for i, t in enumerate(meta["ts"]) if view["tsFrom"] < t < view["tsTo"]]
    checked = 0
    for i in visible[len(visible) // 4: 3 * len(visible) // 4]:
        top = ev(f"{HOOK}.pointOf({meta['ts'][i]}, {c['high'][i]})")
        body = ev(f"{HOOK}.pointOf({meta['ts'][i]}, {max(c['open'][i], c['close'][i])})")
        if body["y"] - top["y"] < 4 or not rect["y"] < top["y"] < rect["y"] + rect["height"]:
            continue  # a wick too short to tell from the body, or off the view
        wick = ev(f"{HOOK}.pixelAt({top['x']}, {top['y'] + 1.5})")
        up = c["close"][i] >= c["open"][i]
        want = [232, 232, 242] if up else [255, 59, 79]
        check(all(abs(a - b) <= 3 for a, b in zip(wick, want)),
              f"column {i}: the wick reaches the high {c['high'][i]:.0f} in the candle's colour {wick} (want {want})")
        checked += 1
        if checked == 3:
            break
    check(checked > 0, f"some candle's high stands above its body ({checked} read back)")
    check(all(h >= max(o, cl) and lo <= min(o, cl) for o, h, lo, cl in zip(c["open"], c["high"], c["low"], c["close"])),
          "every candle's high and low hold its open and close")
    ev("document.getElementById('reset').click()")

    ticks = ev(f"{HOOK}.timeTicks()")
    gaps = {b["t"] - a["t"] for a, b in zip(ticks, ticks[1:])}
    check(len(ticks) >= 3 and len(gaps) == 1, f"the time axis's ticks stand evenly apart ({len(ticks)} ticks, gaps {sorted(gaps)[:3]})")
    check(all(re.match(r"^20\d\d-\d\d", t["label"]) for t in ticks), f"each time label has the year ({ticks[0]['label']!r})")
    log_ticks = ev("LiqmapAxes.priceTicks(4000, 160000, 12, true)")
    ratios = [b / a for a, b in zip(log_ticks, log_ticks[1:])]
    check(len(log_ticks) >= 8 and max(ratios) < 1.75 and min(ratios) > 1.15,
          f"a log axis's ticks stand evenly apart in ratio ({log_ticks[:4]}..., ratios {min(ratios):.2f}..{max(ratios):.2f})")

    ev(f"{HOOK}.setColourControls(0, 0)")
    plain, cap = ev(f"{HOOK}.plotPixels()"), ev(f"{HOOK}.colour()")["capUsd"]
    ev(f"{HOOK}.setColourControls(2, 0)")
    bright, bright_cap = ev(f"{HOOK}.plotPixels()"), ev(f"{HOOK}.colour()")["capUsd"]
    check(math.isclose(bright_cap, cap / 4, rel_tol=1e-9), f"brightness 2 puts full brightness at a quarter of the cap ({bright_cap:.3g} of {cap:.3g})")
    check(bright["brightestBand"]["meanLevel"] > plain["brightestBand"]["meanLevel"],
          f"the brightness slider brightens ({plain['brightestBand']['meanLevel']:.0f} -> {bright['brightestBand']['meanLevel']:.0f})")
    ev(f"{HOOK}.setColourControls(0, 0.5)")
    dark = ev(f"{HOOK}.plotPixels()")
    check(dark["litFraction"] < plain["litFraction"],
          f"the threshold slider leaves the faint cells dark (lit {plain['litFraction']:.3f} -> {dark['litFraction']:.3f})")
    ev(f"{HOOK}.setColourControls(0, 0)")


def check_liquidation_map(browser, run, shots):
    """Issue 27 item 7: the interactive liquidation map, read back under real mouse events against
    liquidation_map.csv, and its leverage filter."""
    ev = browser.evaluate
    bars = f"{HOOK}.bars"
    check(ev(f"!!{bars}"), "the page carries the liquidation map")
    if not ev(f"!!{bars}"):
        return
    rows = []
    with open(os.path.join(run, "liquidation_map.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            price, tier, long_usd, short_usd = line.strip().split(",")
            rows.append((float(price), float(tier.rstrip("x")), float(long_usd), float(short_usd)))
    ev(f"{bars}.show(true)")
    rect = ev(f"{bars}.rect()")
    y = round(rect["y"] + rect["height"] / 2)
    read = 0
    for fraction in (0.2, 0.35, 0.65, 0.8):
        x = round(rect["x"] + rect["width"] * fraction)
        browser.mouse("mouseMoved", x, y)
        bar = ev(f"{bars}.hovered()")
        if not bar:
            continue
        inside = [r for r in rows if bar["priceLow"] <= r[0] < bar["priceHigh"]]
        want = sum(r[2] + r[3] for r in inside) / bar["bins"]
        check(math.isclose(bar["usd"], want, rel_tol=1e-4, abs_tol=1e-3),
              f"hover at {fraction:.2f}: {bar['priceLow']:.0f}..{bar['priceHigh']:.0f} reads {bar['usd']:.6g} USD per bin "
              f"= liquidation_map.csv's {want:.6g}")
        check(ev(f"{bars}.tipText()").startswith(f"{bar['priceLow']:,.0f}"), "the tooltip names the bar's prices")
        read += 1
    check(read >= 3, f"the hover reads bars back ({read})")
    if shots:
        browser.screenshot(os.path.join(shots, "page-liquidation-map.png"))
    # The leverage filter: untick the first tier with the mouse over a bar that holds some of it;
    # the bar loses exactly that tier.
    for fraction in [k / 40 for k in range(2, 39)]:
        x = round(rect["x"] + rect["width"] * fraction)
        browser.mouse("mouseMoved", x, y)
        before = ev(f"{bars}.hovered()")
        if before and before["byTier"][0]["long"] + before["byTier"][0]["short"] > 0:
            break
    box = ev(f"{bars}.tierBoxRects()")[0]
    browser.mouse("mousePressed", box["x"], box["y"], button="left", clickCount=1)
    browser.mouse("mouseReleased", box["x"], box["y"], button="left", clickCount=1)
    browser.mouse("mouseMoved", x, y)
    after = ev(f"{bars}.hovered()")
    tier = ev(f"{bars}.tiers()")[0]
    removed = sum(r[2] + r[3] for r in rows if r[1] == tier and before["priceLow"] <= r[0] < before["priceHigh"]) / before["bins"]
    check(not ev(f"{bars}.tierBoxRects()")[0]["checked"] and tier not in after["tiers"],
          f"unticking {tier:g}x takes it out of the map")
    check(removed > 0 and math.isclose(before["usd"] - after["usd"], removed, rel_tol=1e-3, abs_tol=1e-3),
          f"the bar loses the {tier:g}x tier's {removed:.6g} USD per bin ({before['usd']:.6g} -> {after['usd']:.6g})")
    ev(f"{bars}.show(false)")


def check_hover(browser, meta, edges, cols, longs, shorts, column, target):
    ev = browser.evaluate
    ts = meta["ts"][meta["gridColumns"].index(column)]
    centre = (edges[target] + edges[target + 1]) / 2
    point = ev(f"{HOOK}.pointOf({ts}, {centre})")
    browser.mouse("mouseMoved", round(point["x"]), round(point["y"]))
    cell = ev(f"{HOOK}.hovered()")
    tip = ev(f"{HOOK}.tipText()")
    position = meta["gridColumns"].index
    check(cell is not None and abs(cell["bin"] - target) <= 1 and abs(position(cell["gridColumn"]) - position(column)) <= 1,
          f"the hover lands on the cell aimed at (bin {target}, column {column}): {cell and (cell['bin'], cell['gridColumn'])}")
    if not cell:
        return
    b, c = cell["bin"], cell["gridColumn"]
    for side, grid in (("longUsd", longs), ("shortUsd", shorts)):
        want = grid[b * cols + c]
        check(math.isclose(cell[side], want, rel_tol=QUANTISATION_RTOL, abs_tol=1e-6),
              f"hover {side} {cell[side]:.2f} = the grid's {want:.2f} within the quantisation")
    check(cell["priceLow"] == edges[b] and cell["priceHigh"] == edges[b + 1], "hover reports the bin's price range")
    centre = math.sqrt(edges[b] * edges[b + 1]) if meta["priceScale"] == "log" else (edges[b] + edges[b + 1]) / 2
    check(abs(cell["distancePct"] - (centre - cell["close"]) / cell["close"] * 100) < 1e-6,
          f"hover reports the distance from the close ({cell['distancePct']:+.3f}%)")
    check("UTC" in tip and "longs" in tip and "shorts" in tip and "%" in tip, f"the tooltip reads: {tip!r}")
    check(ev(f"{HOOK}.cursorTs()") == cell["ts"], "the profile follows the column under the mouse")


if __name__ == "__main__":
    sys.exit(main())
