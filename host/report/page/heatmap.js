// The interactive heatmap: decodes the run's grid from the page's JSON and draws it on one
// canvas (heatmap, close, clusters, profile of the column under the cursor, colour bar).
// No library, no network: the file must open from disk anywhere.
'use strict';

(function () {
  let data = JSON.parse(document.getElementById('liqmap-data').textContent);
  const canvas = document.getElementById('map');
  const ctx = canvas.getContext('2d');
  const tip = document.getElementById('tip');

  const COLOURS = {
    background: '#0c0a16', panel: '#13101f', text: '#dbdbea', dim: '#9999b3', gridLine: 'rgba(255,255,255,0.08)',
    close: '#ff3b4f', longs: 'rgba(245,69,92,0.9)', shorts: 'rgba(41,189,133,0.9)',
    longsCumulative: '#ffa6b3', shortsCumulative: '#8cffcc', marker: '#ffffff', cursor: 'rgba(255,255,255,0.6)',
  };

  // ---- the grid: 16-bit log codes -> USD, column-major (a column's bins are contiguous) ----
  const usdOfCode = new Float64Array(65536);

  function decode(b64) {
    const text = atob(b64);
    const out = new Float32Array(text.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = usdOfCode[text.charCodeAt(2 * i) | (text.charCodeAt(2 * i + 1) << 8)];
    return out;
  }
  // The run's arrays, set by adopt() from the page's data: at load, and at each live update
  // (window.liqmapPage.update, used by the served page's live.js).
  let longs, shorts, totals, ts, closes, candles, edges, nCols, nBins, logScale, halfGap, timeDomain, colour;
  function adopt(next) {
    data = next;
    const q = data.quantisation;
    for (let c = 1; c < 65536; c++) usdOfCode[c] = q.max_usd * Math.pow(10, -(65535 - c) / q.steps * q.decades);
    longs = decode(data.long);
    shorts = decode(data.short);
    totals = new Float32Array(longs.length);
    for (let i = 0; i < totals.length; i++) totals[i] = longs[i] + shorts[i];
    ts = data.ts;
    closes = data.close;
    candles = { ts: data.ts, open: data.open, high: data.high, low: data.low, close: data.close };
    edges = data.price_edges;
    nCols = ts.length;
    nBins = edges.length - 1;
    logScale = data.price_scale === 'log';
    // ---- axes: x is time (ms), y is the bin coordinate u in [0, nBins] (0 = the lowest edge) ----
    halfGap = nCols > 1 ? (ts[nCols - 1] - ts[0]) / (nCols - 1) / 2 : 30000;
    timeDomain = [ts[0] - halfGap, ts[nCols - 1] + halfGap];
    colour = data.colour;
  }
  adopt(data);

  function priceOfU(u) {
    const i = Math.min(nBins - 1, Math.max(0, Math.floor(u)));
    const f = u - i;
    return logScale ? edges[i] * Math.pow(edges[i + 1] / edges[i], f) : edges[i] + (edges[i + 1] - edges[i]) * f;
  }
  function uOfPrice(p) {
    let lo = 0, hi = nBins - 1;
    while (lo < hi) {  // the last bin whose lower edge is <= p
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= p) lo = mid; else hi = mid - 1;
    }
    const f = logScale ? Math.log(p / edges[lo]) / Math.log(edges[lo + 1] / edges[lo])
                       : (p - edges[lo]) / (edges[lo + 1] - edges[lo]);
    return lo + f;
  }
  function binCentre(b) { return priceOfU(b + 0.5); }
  // The kept column whose time span holds t (spans meet halfway between two columns).
  function columnAt(t) {
    let lo = 0, hi = nCols - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo > 0 && t - ts[lo - 1] < ts[lo] - t ? lo - 1 : lo;
  }
  // First kept column with ts >= t.
  function firstColumnFrom(t) {
    let lo = 0, hi = nCols;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // ---- colour: heatmap.png's scale and cap ----
  let intensityMode = colour.intensity;
  // The brightness slider moves the cap (full brightness) by powers of two around heatmap.png's;
  // the threshold slider leaves cells below that share of the scale dark.
  let brightness = 0, threshold = 0;
  const capUsd = () => colour.cap_usd * Math.pow(2, -brightness);
  const logSpan = Math.pow(10, colour.log_decades) - 1;
  function usdOfIntensity(t) {
    return intensityMode === 'log' ? capUsd() * (Math.pow(10, t * colour.log_decades) - 1) / logSpan
                                   : capUsd() * Math.pow(t, 1 / colour.gamma);
  }
  // The colour level of a USD value, round(255 * intensity), by a search over the values where
  // the level steps up: a render then costs no Math.pow per pixel.
  let levelSteps = null;
  function buildLevelSteps() {
    levelSteps = new Float64Array(256);
    for (let k = 1; k < 256; k++) levelSteps[k] = usdOfIntensity((k - 0.5) / 255);
  }
  buildLevelSteps();
  function levelOf(usd) {
    let lo = 0, hi = 255;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (usd >= levelSteps[mid]) lo = mid; else hi = mid - 1;
    }
    return lo < threshold * 255 ? 0 : lo;
  }
  const packedColour = new Uint32Array(256);  // RGBA as the canvas stores it (little-endian)
  const levelOfColour = new Map();            // and back, for reading the canvas in tests
  colour.table.forEach(([r, g, b], i) => {
    packedColour[i] = (255 << 24) | (b << 16) | (g << 8) | r;
    if (!levelOfColour.has(packedColour[i] >>> 0)) levelOfColour.set(packedColour[i] >>> 0, i);
  });

  // ---- numbers as heatmap.png writes them ----
  function formatUsd(v) {
    const a = Math.abs(v);
    const units = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
    for (const [size, unit] of units) {
      if (a >= size) {
        const x = v / size;
        return '$' + (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)) + unit;
      }
    }
    return '$' + v.toFixed(0);
  }
  function formatPrice(p) {
    return p.toLocaleString('en-US', { maximumFractionDigits: p < 1000 ? 2 : 0, minimumFractionDigits: p < 1000 ? 2 : 0 });
  }
  function formatPercent(v) { return (v >= 0 ? '+' : '') + v.toFixed(2) + '%'; }
  function formatUtc(ms) { return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; }

  // ---- view and layout ----
  // heatmap.png's view (its window and prices, which suit the window's length), whole columns.
  function fullView() {
    const v = data.view;
    const t0 = Math.max(timeDomain[0], v.from_ts - halfGap), t1 = Math.min(timeDomain[1], v.to_ts + halfGap);
    const u0 = uOfPrice(Math.max(edges[0], v.price_low)), u1 = uOfPrice(Math.min(edges[nBins], v.price_high));
    return { t0, t1, u0: Math.max(0, u0), u1: Math.min(nBins, Math.max(u1, u0 + 1)) };
  }
  let initialView = fullView();
  let view = Object.assign({}, initialView);
  let cursor = columnAt(data.clusters.ts);  // the column the profile shows
  let hovered = null;                        // the cell under the mouse
  let layout = null;
  let heatmapRows = null;                    // device-pixel rows of the last heatmap drawn (for tests)
  let candleGroup = 1;                       // columns merged into one candle at the last render

  function computeLayout() {
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * dpr));
    canvas.height = Math.max(1, Math.round(rect.height * dpr));
    const w = rect.width, h = rect.height;
    const bar = { width: 14, labels: 64 };
    const panelWidth = Math.max(140, Math.round(0.16 * w));
    const barLeft = w - 10 - bar.labels - bar.width;
    const panelLeft = barLeft - 28 - panelWidth;
    const axisLeft = panelLeft - 72;
    layout = {
      dpr, width: w, height: h,
      plot: { left: 10, top: 10, width: Math.max(50, axisLeft - 16), height: Math.max(50, h - 10 - 50) },
      axisLeft, panelLeft, panelWidth, barLeft, barWidth: bar.width,
    };
  }

  const xOfTime = (t) => layout.plot.left + (t - view.t0) / (view.t1 - view.t0) * layout.plot.width;
  const timeOfX = (x) => view.t0 + (x - layout.plot.left) / layout.plot.width * (view.t1 - view.t0);
  const yOfU = (u) => layout.plot.top + (view.u1 - u) / (view.u1 - view.u0) * layout.plot.height;
  const uOfY = (y) => view.u1 - (y - layout.plot.top) / layout.plot.height * (view.u1 - view.u0);

  // ---- drawing ----
  function drawHeatmap() {
    const p = layout.plot, dpr = layout.dpr;
    const pw = Math.round(p.width * dpr), ph = Math.round(p.height * dpr);
    // Each device pixel shows the largest cell it covers, so thin clusters stay visible.
    const firstCol = new Int32Array(pw), lastCol = new Int32Array(pw);
    for (let x = 0; x < pw; x++) {
      const tA = view.t0 + x / pw * (view.t1 - view.t0), tB = view.t0 + (x + 1) / pw * (view.t1 - view.t0);
      let a = firstColumnFrom(tA), b = firstColumnFrom(tB) - 1;
      if (a > b) { a = b = columnAt((tA + tB) / 2); }
      firstCol[x] = a; lastCol[x] = b;
    }
    const firstBin = new Int32Array(ph), lastBin = new Int32Array(ph);
    let binLow = nBins, binHigh = -1;
    for (let y = 0; y < ph; y++) {
      const uHigh = view.u1 - y / ph * (view.u1 - view.u0), uLow = view.u1 - (y + 1) / ph * (view.u1 - view.u0);
      const a = Math.max(0, Math.floor(uLow)), b = Math.min(nBins - 1, Math.ceil(uHigh) - 1);
      firstBin[y] = a; lastBin[y] = Math.max(a, b);
      if (uHigh <= 0 || uLow >= nBins) { firstBin[y] = 1; lastBin[y] = 0; continue; }
      binLow = Math.min(binLow, a); binHigh = Math.max(binHigh, lastBin[y]);
    }
    const image = ctx.createImageData(pw, ph);
    const pixels = new Uint32Array(image.data.buffer);
    pixels.fill(packedColour[0]);
    heatmapRows = { pw, ph, firstBin, lastBin };
    if (binHigh >= binLow) {
      // Per pixel column, the largest cell of each visible bin over the columns it covers
      // (x-major, so both passes read the grid's column-major cells in order).
      const span = binHigh - binLow + 1;
      const byBin = new Float32Array(span * pw);
      for (let x = 0; x < pw; x++) {
        const out = x * span;
        for (let c = firstCol[x]; c <= lastCol[x]; c++) {
          const column = c * nBins + binLow;
          for (let k = 0; k < span; k++) {
            const v = totals[column + k];
            if (v > byBin[out + k]) byBin[out + k] = v;
          }
        }
      }
      for (let y = 0; y < ph; y++) {
        if (firstBin[y] > lastBin[y]) continue;
        const row = y * pw, from = firstBin[y] - binLow, to = lastBin[y] - binLow;
        for (let x = 0; x < pw; x++) {
          let v = 0;
          for (let k = x * span + from, end = x * span + to; k <= end; k++) if (byBin[k] > v) v = byBin[k];
          pixels[row + x] = packedColour[levelOf(v)];
        }
      }
    }
    ctx.putImageData(image, Math.round(p.left * dpr), Math.round(p.top * dpr));
  }

  function drawAxes() {
    const p = layout.plot;
    ctx.font = '11px "DejaVu Sans", sans-serif';
    ctx.textBaseline = 'middle';
    for (const price of LiqmapAxes.priceTicks(priceOfU(view.u0), priceOfU(view.u1), p.height / 46, logScale)) {
      const y = Math.round(yOfU(uOfPrice(price))) + 0.5;
      ctx.fillStyle = COLOURS.gridLine;
      ctx.fillRect(p.left, y - 0.5, p.width, 1);
      ctx.fillStyle = COLOURS.dim;
      ctx.fillText(formatPrice(price), p.left + p.width + 6, y);
    }
    ctx.textAlign = 'center';
    for (const tick of LiqmapAxes.timeTicks(view.t0, view.t1, p.width / 130)) {
      const x = Math.round(xOfTime(tick.t)) + 0.5;
      if (x - ctx.measureText(tick.label).width / 2 < 2) continue;  // its label would be cut at the page's edge
      ctx.fillStyle = COLOURS.gridLine;
      ctx.fillRect(x - 0.5, p.top, 1, p.height);
      ctx.fillStyle = COLOURS.dim;
      ctx.fillText(tick.label, x, p.top + p.height + 12);
    }
    ctx.textAlign = 'right';
    ctx.fillText('UTC', p.left + p.width, p.top + p.height + 26);
    ctx.textAlign = 'left';
  }

  function clipToPlot() {
    const p = layout.plot;
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.left, p.top, p.width, p.height);
    ctx.clip();
  }

  function drawCloseAndClusters() {
    const p = layout.plot;
    clipToPlot();
    const from = Math.max(0, firstColumnFrom(view.t0) - 1), to = Math.min(nCols - 1, firstColumnFrom(view.t1));
    const slot = to > from ? (xOfTime(ts[to]) - xOfTime(ts[from])) / (to - from) : p.width;
    candleGroup = LiqmapCandles.draw(ctx, candles, from, to, xOfTime, (price) => yOfU(uOfPrice(price)), slot);

    const cl = data.clusters, x = xOfTime(cl.ts);
    ctx.setLineDash([2, 3]);
    ctx.strokeStyle = 'rgba(255,255,255,0.5)';
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(Math.round(x) + 0.5, p.top); ctx.lineTo(Math.round(x) + 0.5, p.top + p.height); ctx.stroke();
    ctx.setLineDash([]);
    // Zones: a bracket left of the cluster column, over the prices the zone spans.
    ctx.strokeStyle = 'rgba(255,255,255,0.75)';
    ctx.lineWidth = 2;
    for (const z of cl.zones) {
      const yTop = yOfU(uOfPrice(z.price_high)), yBottom = yOfU(uOfPrice(z.price_low));
      ctx.beginPath();
      ctx.moveTo(x - 10, yTop); ctx.lineTo(x - 14, yTop); ctx.lineTo(x - 14, yBottom); ctx.lineTo(x - 10, yBottom);
      ctx.stroke();
    }
    ctx.font = '11px "DejaVu Sans", sans-serif';
    ctx.lineWidth = 1.5;
    const labelRows = [];
    cl.peaks.forEach((peak, i) => {
      const y = yOfU(uOfPrice(peak.price));
      ctx.strokeStyle = COLOURS.marker;
      ctx.beginPath(); ctx.arc(x, y, i === 0 ? 6 : 4.5, 0, 2 * Math.PI); ctx.stroke();
      // Six labels at most, none over another (the larger cluster keeps its label).
      if (i >= 6 || labelRows.some((row) => Math.abs(row - y) < 16)) return;
      labelRows.push(y);
      const label = '#' + (i + 1) + '  ' + formatPrice(peak.price) + '  ' + formatUsd(peak.usd) + '  ' + formatPercent(peak.distance_pct);
      const w = ctx.measureText(label).width + 10;
      const lx = x - 20 - w >= p.left ? x - 20 - w : x + 12;
      ctx.fillStyle = 'rgba(0,0,0,0.6)'; ctx.fillRect(lx, y - 8, w, 16);
      ctx.fillStyle = COLOURS.text; ctx.fillText(label, lx + 5, y);
    });
    const cx = Math.round(xOfTime(ts[cursor])) + 0.5;
    ctx.strokeStyle = COLOURS.cursor;
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(cx, p.top); ctx.lineTo(cx, p.top + p.height); ctx.stroke();
    ctx.restore();
  }

  // Longs and shorts of the cursor's column per bin, with cumulative curves growing away from the close.
  function columnProfile(c) {
    const base = c * nBins, closeBin = Math.min(nBins - 1, Math.max(0, Math.floor(uOfPrice(closes[c]))));
    const shortsAbove = new Float64Array(nBins), longsBelow = new Float64Array(nBins);
    for (let b = closeBin, sum = 0; b < nBins; b++) { sum += shorts[base + b]; shortsAbove[b] = sum; }
    for (let b = closeBin, sum = 0; b >= 0; b--) { sum += longs[base + b]; longsBelow[b] = sum; }
    return { base, shortsAbove, longsBelow };
  }

  function drawProfile() {
    const p = layout.plot, left = layout.panelLeft, width = layout.panelWidth - 4;
    ctx.fillStyle = COLOURS.panel;
    ctx.fillRect(left, p.top, layout.panelWidth, p.height);
    const prof = columnProfile(cursor);
    const rows = Math.round(p.height);
    const rowValue = (values, offset, y) => {
      const uHigh = uOfY(p.top + y), uLow = uOfY(p.top + y + 1);
      let v = 0;
      for (let b = Math.max(0, Math.floor(uLow)); b <= Math.min(nBins - 1, Math.ceil(uHigh) - 1); b++) v = Math.max(v, values[offset + b]);
      return v;
    };
    const rowsOf = (values, offset) => Array.from({ length: rows }, (_, y) => rowValue(values, offset, y));
    const longRows = rowsOf(longs, prof.base), shortRows = rowsOf(shorts, prof.base);
    const cumShort = rowsOf(prof.shortsAbove, 0), cumLong = rowsOf(prof.longsBelow, 0);
    const barMax = Math.max(...longRows, ...shortRows), cumMax = Math.max(...cumShort, ...cumLong);
    for (let y = 0; y < rows; y++) {
      if (barMax <= 0) break;
      ctx.fillStyle = COLOURS.longs; ctx.fillRect(left, p.top + y, longRows[y] / barMax * width, 1);
      ctx.fillStyle = COLOURS.shorts; ctx.fillRect(left, p.top + y, shortRows[y] / barMax * width, 1);
    }
    const curve = (values, style) => {
      if (cumMax <= 0) return;
      ctx.strokeStyle = style; ctx.lineWidth = 1.5; ctx.beginPath();
      let drawing = false;
      for (let y = 0; y < rows; y++) {
        if (values[y] <= 0) { drawing = false; continue; }
        const x = left + values[y] / cumMax * width;
        if (drawing) ctx.lineTo(x, p.top + y + 0.5); else ctx.moveTo(x, p.top + y + 0.5);
        drawing = true;
      }
      ctx.stroke();
    };
    curve(cumShort, COLOURS.shortsCumulative);
    curve(cumLong, COLOURS.longsCumulative);
    const yClose = yOfU(uOfPrice(closes[cursor]));
    if (yClose >= p.top && yClose <= p.top + p.height) { ctx.fillStyle = COLOURS.close; ctx.fillRect(left, yClose - 0.5, layout.panelWidth, 1.5); }
    ctx.font = '10px "DejaVu Sans", sans-serif';
    ctx.textAlign = 'center';
    const mid = left + layout.panelWidth / 2;
    ctx.fillStyle = COLOURS.dim;
    ctx.fillText('profile at ' + formatUtc(ts[cursor]), mid, p.top + p.height + 12);
    ctx.fillStyle = COLOURS.shortsCumulative;
    ctx.fillText('shorts above ' + formatUsd(prof.shortsAbove[nBins - 1]), mid, p.top + p.height + 25);
    ctx.fillStyle = COLOURS.longsCumulative;
    ctx.fillText('longs below ' + formatUsd(prof.longsBelow[0]), mid, p.top + p.height + 38);
    ctx.textAlign = 'left';
  }

  function drawColourBar() {
    const p = layout.plot, left = layout.barLeft, w = layout.barWidth;
    for (let y = 0; y < p.height; y++) {
      const [r, g, b] = colour.table[Math.round((1 - (y + 0.5) / p.height) * 255)];
      ctx.fillStyle = 'rgb(' + r + ',' + g + ',' + b + ')';
      ctx.fillRect(left, p.top + y, w, 1);
    }
    ctx.font = '10px "DejaVu Sans", sans-serif';
    ctx.fillStyle = COLOURS.dim;
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const y = p.top + (1 - t) * p.height;
      ctx.fillRect(left + w, y, 4, 1);
      ctx.fillText((t === 1 ? '≥' : '') + formatUsd(usdOfIntensity(t)), left + w + 6, y);
    }
    ctx.textAlign = 'center';
    ctx.fillText('USD/bin', left + w / 2, p.top + p.height + 12);
    ctx.fillText(data.bin_group > 1 ? data.bin_group + ' × ' + data.bin_width : data.bin_width, left + w / 2, p.top + p.height + 25);
    ctx.textAlign = 'left';
  }

  let lastRenderMs = 0;
  function render() {
    const started = performance.now();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = COLOURS.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawHeatmap();
    ctx.setTransform(layout.dpr, 0, 0, layout.dpr, 0, 0);
    drawAxes();
    drawCloseAndClusters();
    drawProfile();
    drawColourBar();
    lastRenderMs = performance.now() - started;
  }

  let pending = false;
  function requestRender() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  // ---- hover ----
  function localPoint(clientX, clientY) {
    const r = canvas.getBoundingClientRect();
    return { x: clientX - r.left, y: clientY - r.top };
  }
  function inPlot(pt) {
    const p = layout.plot;
    return pt.x >= p.left && pt.x < p.left + p.width && pt.y >= p.top && pt.y < p.top + p.height;
  }
  function cellAtLocal(pt) {
    if (!inPlot(pt)) return null;
    const u = uOfY(pt.y);
    if (u < 0 || u >= nBins) return null;
    const c = columnAt(timeOfX(pt.x)), b = Math.floor(u), close = closes[c];
    return {
      column: c, gridColumn: data.grid_columns[c], ts: ts[c], bin: b,
      priceLow: edges[b], priceHigh: edges[b + 1], longUsd: longs[c * nBins + b], shortUsd: shorts[c * nBins + b],
      close, distancePct: (binCentre(b) - close) / close * 100,
    };
  }
  function showTip(pt, cell) {
    hovered = cell;
    if (!cell) { tip.hidden = true; return; }
    tip.innerHTML =
      '<b>' + formatPrice(cell.priceLow) + ' – ' + formatPrice(cell.priceHigh) + '</b><br>' +
      '<span class="dim">' + formatUtc(cell.ts) + '</span><br>' +
      '<span class="longs">longs ' + formatUsd(cell.longUsd) + '</span> · ' +
      '<span class="shorts">shorts ' + formatUsd(cell.shortUsd) + '</span><br>' +
      '<span class="dim">' + formatPercent(cell.distancePct) + ' from the close ' + formatPrice(cell.close) + '</span>';
    tip.hidden = false;
    const right = pt.x + 16 + tip.offsetWidth > layout.width;
    tip.style.left = (right ? pt.x - 16 - tip.offsetWidth : pt.x + 16) + 'px';
    tip.style.top = Math.max(0, pt.y - tip.offsetHeight - 10) + 'px';
  }
  let lastPoint = null;  // where the mouse last was, so a live update re-reads the cell under it
  function hoverAt(pt) {
    lastPoint = pt;
    const cell = cellAtLocal(pt);
    showTip(pt, cell);
    if (cell && cell.column !== cursor) { cursor = cell.column; requestRender(); }
    return cell;
  }

  // ---- zoom, pan, reset ----
  let minTimeSpan = Math.min(timeDomain[1] - timeDomain[0], 4 * 2 * halfGap);
  let minBinSpan = Math.min(nBins, 4);
  function clampView(v) {
    const tSpan = Math.min(timeDomain[1] - timeDomain[0], Math.max(minTimeSpan, v.t1 - v.t0));
    const uSpan = Math.min(nBins, Math.max(minBinSpan, v.u1 - v.u0));
    const t0 = Math.min(Math.max(v.t0, timeDomain[0]), timeDomain[1] - tSpan);
    const u0 = Math.min(Math.max(v.u0, 0), nBins - uSpan);
    return { t0, t1: t0 + tSpan, u0, u1: u0 + uSpan };
  }
  // Zooms by `factor` (> 1 zooms in) keeping the point under pt fixed; axes: 'both', 'time' or 'price'.
  function zoomAt(pt, factor, axes) {
    const t = timeOfX(pt.x), u = uOfY(pt.y), next = Object.assign({}, view);
    if (axes !== 'price') { next.t0 = t - (t - view.t0) / factor; next.t1 = t + (view.t1 - t) / factor; }
    if (axes !== 'time') { next.u0 = u - (u - view.u0) / factor; next.u1 = u + (view.u1 - u) / factor; }
    view = clampView(next);
    requestRender();  // wheel events come faster than frames: draw once per frame
  }
  function resetView() { view = Object.assign({}, initialView); render(); }

  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const pt = localPoint(e.clientX, e.clientY), p = layout.plot;
    let axes = e.shiftKey ? 'time' : e.altKey ? 'price' : 'both';
    if (pt.x >= p.left + p.width) axes = 'price';  // over the price labels
    else if (pt.y >= p.top + p.height) axes = 'time';  // over the time labels
    const steps = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY;
    zoomAt({ x: Math.min(pt.x, p.left + p.width), y: Math.min(pt.y, p.top + p.height) }, Math.pow(1.0015, -steps), axes);
    hoverAt(pt);  // the tooltip tells of the cell now under the mouse
  }, { passive: false });

  let drag = null;
  canvas.addEventListener('mousedown', (e) => {
    const pt = localPoint(e.clientX, e.clientY);
    if (e.button !== 0 || !inPlot(pt)) return;
    drag = { pt, view: Object.assign({}, view) };
    canvas.classList.add('dragging');
    canvas.focus();
  });
  window.addEventListener('mousemove', (e) => {
    const pt = localPoint(e.clientX, e.clientY);
    if (!drag) { hoverAt(pt); return; }
    const p = layout.plot, v = drag.view;
    const dt = (pt.x - drag.pt.x) / p.width * (v.t1 - v.t0), du = (pt.y - drag.pt.y) / p.height * (v.u1 - v.u0);
    view = clampView({ t0: v.t0 - dt, t1: v.t1 - dt, u0: v.u0 + du, u1: v.u1 + du });
    tip.hidden = true;
    requestRender();
  });
  window.addEventListener('mouseup', () => { drag = null; canvas.classList.remove('dragging'); });
  canvas.addEventListener('mouseleave', () => { if (!drag) tip.hidden = true; });
  canvas.addEventListener('dblclick', resetView);
  document.getElementById('reset').addEventListener('click', resetView);
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const step = (e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 10 : 1);
    cursor = Math.min(nCols - 1, Math.max(0, cursor + step));
    // Keep the cursor in view: pan by as much as it left.
    const t = ts[cursor];
    if (t < view.t0 || t > view.t1) {
      const shift = t < view.t0 ? t - view.t0 - halfGap : t - view.t1 + halfGap;
      view = clampView({ t0: view.t0 + shift, t1: view.t1 + shift, u0: view.u0, u1: view.u1 });
    }
    render();
  });
  const intensitySelect = document.getElementById('intensity');
  intensitySelect.value = intensityMode;
  intensitySelect.addEventListener('change', () => { intensityMode = intensitySelect.value; buildLevelSteps(); render(); });
  const brightnessInput = document.getElementById('brightness'), thresholdInput = document.getElementById('threshold');
  function setColourControls(b, t) {
    brightness = b; threshold = t;
    brightnessInput.value = b; thresholdInput.value = t;
    buildLevelSteps(); render();
  }
  brightnessInput.addEventListener('input', () => setColourControls(Number(brightnessInput.value), threshold));
  thresholdInput.addEventListener('input', () => setColourControls(brightness, Number(thresholdInput.value)));
  window.addEventListener('resize', () => { computeLayout(); render(); });

  // ---- header ----
  function describe() {
    document.getElementById('title').textContent = data.title;
    document.getElementById('subject').textContent = data.subject ? data.subject.charAt(0).toUpperCase() + data.subject.slice(1) : '';
    document.getElementById('subtitle').textContent =
      formatUtc(ts[0]) + ' to ' + formatUtc(ts[nCols - 1]) + ' · clusters at ' + formatUtc(data.clusters.ts) +
      ', price ' + formatPrice(data.clusters.price) + ', ' + data.clusters.bias.replace(/_/g, ' ') +
      ' · colour capped at the ' + colour.cap_percentile + 'th percentile, ' + formatUsd(colour.cap_usd) +
      ' · candles: white up, red down · circles: top clusters, brackets: zones' +
      (data.column_stride > 1 ? ' · 1 column in ' + data.column_stride + ' of the grid\'s ' + data.grid.columns.toLocaleString('en-US') +
        ', all from ' + formatUtc(data.full_resolution_from_ts) : '') +
      (data.bin_group > 1 ? ', ' + data.bin_group + ' bins summed per row' : '');
  }
  describe();

  // ---- the liquidation map by leverage (liqmap.js), with its leverage filter ----
  const barsView = LiqmapBars.mount(data.liquidation_map, { usd: formatUsd, price: formatPrice, utc: formatUtc },
    () => { computeLayout(); render(); });

  computeLayout();
  render();
  const loadMs = performance.now();

  // ---- live updates (page/live.js): new data in, the user's zoom, pan and hover kept ----
  // A view that showed the latest column follows the new ones (same span); one that showed the
  // whole run shows the whole new run; the price range stays in prices. options.resetView: the full view.
  function update(next, options) {
    const slack = Math.max(2 * halfGap, 0.02 * (view.t1 - view.t0));  // "at the end", as a hand leaves it
    const following = view.t1 >= timeDomain[1] - slack, whole = following && view.t0 <= timeDomain[0] + slack;
    const oldEnd = timeDomain[1], priceLow = priceOfU(view.u0), priceHigh = priceOfU(view.u1);
    const cursorTs = ts[cursor], cursorLast = cursor === nCols - 1;
    adopt(next);
    buildLevelSteps();
    initialView = fullView();
    minTimeSpan = Math.min(timeDomain[1] - timeDomain[0], 4 * 2 * halfGap);
    minBinSpan = Math.min(nBins, 4);
    const shift = following ? timeDomain[1] - oldEnd : 0;
    view = options && options.resetView ? Object.assign({}, initialView)
      : clampView({ t0: whole ? timeDomain[0] : view.t0 + shift, t1: whole ? timeDomain[1] : view.t1 + shift,
                    u0: uOfPrice(priceLow), u1: uOfPrice(priceHigh) });
    cursor = cursorLast ? nCols - 1 : columnAt(cursorTs);
    describe();
    render();
    if (lastPoint && !tip.hidden) hoverAt(lastPoint);
  }
  window.liqmapPage = { update, data: () => data };

  // ---- the hook the browser test drives (coordinates are the page's CSS pixels) ----
  function pointOfLocal(t, price) { return { x: xOfTime(t), y: yOfU(uOfPrice(price)) }; }
  function toClient(pt) {
    const r = canvas.getBoundingClientRect();
    return { x: pt.x + r.left, y: pt.y + r.top };
  }
  window.liqmapTest = {
    ready: true,
    loadMs: () => loadMs,
    renderMs: () => lastRenderMs,
    plotRect: () => Object.assign(toClient({ x: layout.plot.left, y: layout.plot.top }), { width: layout.plot.width, height: layout.plot.height }),
    pointOf: (t, price) => toClient(pointOfLocal(t, price)),
    cellAt: (x, y) => cellAtLocal(localPoint(x, y)),
    hover: (x, y) => hoverAt(localPoint(x, y)),
    hovered: () => hovered,
    tipText: () => (tip.hidden ? '' : tip.textContent),
    zoom: (factor, x, y, axes) => zoomAt(localPoint(x, y), factor, axes || 'both'),
    visibleRange: () => ({ tsFrom: view.t0, tsTo: view.t1, priceLow: priceOfU(view.u0), priceHigh: priceOfU(view.u1) }),
    cursorTs: () => ts[cursor],
    columns: () => ({ priceScale: data.price_scale, ts: ts.slice(), gridColumns: data.grid_columns.slice(), stride: data.column_stride, binGroup: data.bin_group, edges: edges.slice() }),
    colour: () => ({ capUsd: capUsd(), gamma: colour.gamma, intensity: intensityMode, logDecades: colour.log_decades, brightness, threshold }),
    setColourControls,
    candles: () => ({ group: candleGroup, open: candles.open.slice(), high: candles.high.slice(), low: candles.low.slice(), close: candles.close.slice() }),
    timeTicks: () => LiqmapAxes.timeTicks(view.t0, view.t1, layout.plot.width / 130),
    priceTicks: () => LiqmapAxes.priceTicks(priceOfU(view.u0), priceOfU(view.u1), layout.plot.height / 46, logScale),
    setIntensity: (mode) => { intensityMode = mode; intensitySelect.value = mode; buildLevelSteps(); render(); },
    // From the canvas's pixels: how many plot pixels are not the empty colour, and the row
    // whose mean intensity (read back through the colour table) is highest, as a price range.
    plotPixels: () => {
      const dpr = layout.dpr, p = layout.plot;
      const x0 = Math.round(p.left * dpr), y0 = Math.round(p.top * dpr), pw = Math.round(p.width * dpr), ph = Math.round(p.height * dpr);
      const pixels = new Uint32Array(ctx.getImageData(x0, y0, pw, ph).data.buffer);
      let lit = 0, bestRow = -1, best = -1;
      const levels = new Set();
      for (let y = 0; y < ph; y++) {
        let sum = 0, known = 0;
        for (let x = 0; x < pw; x++) {
          const level = levelOfColour.get(pixels[y * pw + x] >>> 0);
          if (pixels[y * pw + x] >>> 0 !== packedColour[0] >>> 0) lit++;
          if (level === undefined) continue;
          levels.add(level); sum += level; known++;
        }
        if (known >= pw / 2 && sum / known > best) { best = sum / known; bestRow = y; }
      }
      const band = bestRow < 0 ? null : {
        row: bestRow, firstBin: heatmapRows.firstBin[bestRow], lastBin: heatmapRows.lastBin[bestRow],
        priceLow: priceOfU(uOfY(p.top + (bestRow + 1) / dpr)), priceHigh: priceOfU(uOfY(p.top + bestRow / dpr)),
        meanLevel: best,
      };
      return { width: pw, height: ph, litFraction: lit / (pw * ph), distinctLevels: levels.size, brightestBand: band };
    },
    brightestBand: () => window.liqmapTest.plotPixels().brightestBand,
    bars: barsView && barsView.hook,
    // The canvas's colour under a client point, [r, g, b].
    pixelAt: (x, y) => {
      const r = canvas.getBoundingClientRect(), dpr = layout.dpr;
      const d = ctx.getImageData(Math.floor((x - r.left) * dpr), Math.floor((y - r.top) * dpr), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
  };
})();
