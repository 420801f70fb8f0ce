#!/usr/bin/env python3
"""The page `liqmap serve` serves, in a real browser: it loads from the server, an append
(POST /api/append) reaches it by Server-Sent Events and its new columns are drawn without a
reload, keeping the zoom and the hover; an alert is listed; a time preset narrows the window.

  test_serve_page.py --cli build/liqmap --work DIR [--shots DIR]

The server runs on a free loopback port, started and stopped here. Exits 77 (ctest: skipped)
when no Chromium is installed.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
BASE_ROWS, ADDED_ROWS = 1500, 60
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def start_server(cli, work):
    """The candles (synthetic), the first run and `liqmap serve` on port 0; (process, url, added CSV)."""
    market = os.path.join(work, "market.csv")
    subprocess.run([cli, "synth", "--steps", str(BASE_ROWS + ADDED_ROWS), "--out", market], check=True)
    lines = open(market).read().splitlines()
    base = os.path.join(work, "base.csv")
    with open(base, "w") as f:
        f.write("\n".join(lines[:1 + BASE_ROWS]) + "\n")
    added = "\n".join([lines[0]] + lines[1 + BASE_ROWS:]) + "\n"
    state = os.path.join(work, "state")
    shutil.rmtree(state, ignore_errors=True)
    os.makedirs(state)
    log = open(os.path.join(work, "serve.out"), "w+")
    server = subprocess.Popen([cli, "serve", "--state", state, "--port", "0", "--recompute", "--market", base,
                               "--bins", "200", "--poll-ms", "100", "--alert", "within 5% of a cluster >= $50M"],
                              stdout=log, stderr=subprocess.STDOUT)

    def address():
        log.seek(0)
        m = re.search(r"serving (http://127\.0\.0\.1:\d+/)", log.read())
        if server.poll() is not None:
            raise RuntimeError("liqmap serve exited: " + open(log.name).read())
        return m.group(1) if m else None
    return server, wait_for(address, 120, "the server's address"), added, log


def strip_lit(browser, t_from):
    """Plot pixels right of time t_from that are not the heatmap's empty colour (a fraction)."""
    return browser.evaluate(f"""(() => {{
      const t = window.liqmapTest, r = t.plotRect(), x0 = Math.ceil(t.pointOf({t_from}, 1).x);
      const c = document.getElementById('map'), g = c.getContext('2d');
      const w = Math.floor(r.x + r.width) - x0;
      if (w <= 0) return 0;
      const px = g.getImageData(x0, Math.ceil(r.y), w, Math.floor(r.height)).data;
      const bg = g.getImageData(Math.ceil(r.x) + 1, Math.ceil(r.y) + 1, 1, 1).data;
      let lit = 0;
      for (let i = 0; i < px.length; i += 4)
        if (Math.abs(px[i] - bg[i % 4]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) > 30) lit++;
      return lit / (px.length / 4);
    }})()""")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--shots")
    args = parser.parse_args()
    chromium = cdp.find_chromium()
    if not chromium:
        print("skipped: no Chromium (install Debian's chromium, or set LIQMAP_CHROMIUM)")
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    server, url, added, log = start_server(args.cli, args.work)
    browser = None
    try:
        browser = cdp.Browser(chromium)
        browser.open_url(url, "window.liqmapTest && window.liqmapLive && window.liqmapTest.ready")
        wait_for(lambda: browser.evaluate("window.liqmapLive.status().includes('generation')"), 30, "the event stream")
        before = browser.evaluate("window.liqmapTest.columns().ts")
        check(len(before) == BASE_ROWS, f"the served page holds the run's {BASE_ROWS} columns ({len(before)})")
        # Zoom in at the right edge (the view then follows the newest columns) and hover a cell.
        rect = browser.evaluate("window.liqmapTest.plotRect()")
        right = (rect["x"] + rect["width"] - 0.5, rect["y"] + rect["height"] / 2)
        browser.evaluate(f"window.liqmapTest.zoom(3, {right[0]}, {right[1]}, 'time')")
        time.sleep(0.3)
        view = browser.evaluate("window.liqmapTest.visibleRange()")
        hover_at = (rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
        browser.mouse("mouseMoved", *hover_at)
        check(browser.evaluate("window.liqmapTest.tipText()") != "", "hovering shows the tooltip before the append")

        request = urllib.request.Request(url + "api/append", data=added.encode(), method="POST",
                                         headers={"Content-Type": "text/csv"})
        with urllib.request.urlopen(request, timeout=120) as r:
            answer = json.load(r)
        check(answer["steps_added"] == ADDED_ROWS and answer["generation"] == 2,
              f"POST /api/append adds {ADDED_ROWS} candles, generation 2 ({answer['steps_added']}, {answer['generation']})")
        wait_for(lambda: browser.evaluate("window.liqmapLive.generation()") == 2, 60, "generation 2 on the page")
        after = browser.evaluate("window.liqmapTest.columns().ts")
        check(len(after) == BASE_ROWS + ADDED_ROWS and after[:len(before)] == before,
              f"the page now holds {BASE_ROWS + ADDED_ROWS} columns, the old ones first ({len(after)})")
        check(browser.evaluate("location.href") == url, "without a reload (same address, same document)")
        check(browser.evaluate("window.liqmapLive.updates()") >= 1, "the update came by the event stream")
        view_after = browser.evaluate("window.liqmapTest.visibleRange()")
        span, span_after = view["tsTo"] - view["tsFrom"], view_after["tsTo"] - view_after["tsFrom"]
        check(abs(span_after - span) < 1 and view_after["tsTo"] > view["tsTo"] + (ADDED_ROWS - 1) * 60e3,
              f"the zoom is kept ({span / 60e3:.0f} min, now {span_after / 60e3:.0f}) and follows the new columns "
              f"(its end {view['tsTo']:.0f} -> {view_after['tsTo']:.0f})")
        check(abs(view_after["priceLow"] - view["priceLow"]) < 1e-6 * view["priceLow"] + 1 and
              abs(view_after["priceHigh"] - view["priceHigh"]) < 1e-6 * view["priceHigh"] + 1,
              "the price range is kept")
        check(browser.evaluate("window.liqmapTest.tipText()") != "", "the hover is kept (the tooltip is still shown)")
        lit = strip_lit(browser, before[-1] + 30e3)
        check(lit > 0.2, f"the new columns are drawn: {lit:.0%} of the plot right of the old last column is lit")
        wait_for(lambda: browser.evaluate("window.liqmapLive.alerts().length") >= 1, 30, "an alert on the page")
        alert = browser.evaluate("window.liqmapLive.alerts()[0]")
        check(alert["rule"] == "within 5% of a cluster >= $50M" and alert["generation"] >= 1,
              f"the alert is shown on the page: {alert['line'][:80]}...")
        if args.shots:
            os.makedirs(args.shots, exist_ok=True)
            browser.screenshot(os.path.join(args.shots, "serve-live.png"))
        updates = browser.evaluate("window.liqmapLive.updates()")
        browser.evaluate("window.liqmapLive.setRange('12h')")
        wait_for(lambda: browser.evaluate("window.liqmapLive.updates()") > updates, 60, "the 12h window")
        ts12 = browser.evaluate("window.liqmapTest.columns().ts")
        check(len(ts12) == 720 and ts12[-1] == after[-1], f"the 12h preset shows the last 720 columns ({len(ts12)})")
        check("range=12h" in browser.evaluate("location.search"), "the preset is in the address")
        if args.shots:
            browser.screenshot(os.path.join(args.shots, "serve-live-12h.png"))
    finally:
        if browser:
            browser.close()
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
        check(code == 0, f"liqmap serve stops cleanly on SIGINT (exit {code})")
        log.close()
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
