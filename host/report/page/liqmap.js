// The liquidation map as CoinGlass users know it, interactive: one bar per group of price bins,
// stacked by leverage tier, the cumulative longs below the price and shorts above it, a leverage
// filter (which tiers count) and a hover that reads a bar back per tier. Longs red, shorts green.
'use strict';

const LiqmapBars = (function () {
  const TIER_COLOURS = ['#4582f5', '#9c66f0', '#fa9e2e', '#fadb40', '#38ccdb', '#ed73b8', '#9e9eae', '#8cd959'];
  const LONG = '#ff546b', SHORT = '#29cc8c', MAX_BARS = 160;

  // `m`: the page data's liquidation_map; `fmt`: { usd, price, utc }.
  function create(canvas, tip, m, fmt) {
    const ctx = canvas.getContext('2d');
    const enabled = m.tiers.map(() => true);
    const nBins = m.edges.length - 1;
    let first = 0, last = nBins - 1;
    while (first < last && m.edges[first + 1] <= m.range[0]) first++;
    while (last > first && m.edges[last] >= m.range[1]) last--;
    const perBar = Math.max(1, Math.ceil((last - first + 1) / MAX_BARS));
    const bars = Math.ceil((last - first + 1) / perBar);
    let layout = null, hovered = -1;

    // Mean USD per bin of bar i's bins, per tier and side.
    function barValues(i) {
      const a = first + i * perBar, b = Math.min(last, a + perBar - 1), n = b - a + 1;
      return m.tiers.map((_, t) => {
        let l = 0, s = 0;
        for (let k = a; k <= b; k++) { l += m.long[t][k]; s += m.short[t][k]; }
        return { long: l / n, short: s / n };
      });
    }
    function barPrices(i) {
      const a = first + i * perBar;
      return { low: m.edges[a], high: m.edges[Math.min(last, a + perBar - 1) + 1] };
    }
    function stackOf(values) {
      let sum = 0;
      values.forEach((v, t) => { if (enabled[t]) sum += v.long + v.short; });
      return sum;
    }
    // Cumulative USD (every bin, enabled tiers) from the price down (longs) and up (shorts).
    function cumulative() {
      const longs = new Float64Array(nBins), shorts = new Float64Array(nBins);
      for (let b = nBins - 1, sum = 0; b >= 0; b--) {
        m.tiers.forEach((_, t) => { if (enabled[t]) sum += m.long[t][b]; });
        longs[b] = sum;
      }
      for (let b = 0, sum = 0; b < nBins; b++) {
        m.tiers.forEach((_, t) => { if (enabled[t]) sum += m.short[t][b]; });
        shorts[b] = sum;
      }
      return { longs, shorts };
    }

    function render() {
      const rect = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(rect.width * dpr));
      canvas.height = Math.max(1, Math.round(rect.height * dpr));
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const w = rect.width, h = rect.height;
      layout = { left: 80, right: w - 90, top: 24, bottom: h - 40 };
      const L = layout, low = m.range[0], high = m.range[1];
      const xOf = (p) => L.left + (p - low) / (high - low) * (L.right - L.left);
      ctx.fillStyle = '#0c0a16';
      ctx.fillRect(0, 0, w, h);
      const values = Array.from({ length: bars }, (_, i) => barValues(i));
      const tallest = Math.max(1e-300, ...values.map(stackOf)) * 1.08;
      const cum = cumulative(), cumTop = Math.max(1e-300, cum.longs[0], cum.shorts[nBins - 1]) * 1.05;
      const yBar = (v) => L.bottom - v / tallest * (L.bottom - L.top);
      const yCum = (v) => L.bottom - v / cumTop * (L.bottom - L.top);
      ctx.font = '11px "DejaVu Sans", sans-serif';
      ctx.fillStyle = '#9999b3';
      for (let k = 0; k <= 4; k++) {
        const y = Math.round(L.bottom - k * (L.bottom - L.top) / 4.4) + 0.5;
        ctx.fillStyle = 'rgba(255,255,255,0.07)'; ctx.fillRect(L.left, y, L.right - L.left, 1);
        ctx.fillStyle = '#9999b3';
        ctx.textAlign = 'right'; ctx.fillText(fmt.usd(tallest * k / 4.4), L.left - 6, y + 4);
        ctx.textAlign = 'left'; ctx.fillText(fmt.usd(cumTop * k / 4.4), L.right + 6, y + 4);
      }
      for (const p of LiqmapAxes.priceTicks(low, high, (L.right - L.left) / 110, false)) {
        ctx.textAlign = 'center'; ctx.fillText(fmt.price(p), xOf(p), L.bottom + 16);
      }
      ctx.textAlign = 'left';
      const binWidth = m.edges[first + 1] - m.edges[first];
      ctx.fillText('USD per $' + fmt.price(binWidth) + ' bin' + (perBar > 1 ? ' (a bar: the mean of ' + perBar + ' bins)' : ''), 8, 14);
      ctx.textAlign = 'right'; ctx.fillText('cumulative USD', w - 8, 14); ctx.textAlign = 'left';
      values.forEach((v, i) => {
        const pr = barPrices(i), x0 = Math.max(L.left, xOf(pr.low)), x1 = Math.min(L.right, xOf(pr.high));
        let stack = 0;
        v.forEach((tv, t) => {
          if (!enabled[t]) return;
          const value = tv.long + tv.short;
          if (!(value > 0)) return;
          ctx.fillStyle = TIER_COLOURS[t % TIER_COLOURS.length];
          ctx.fillRect(x0, yBar(stack + value), Math.max(1, x1 - x0 - 1), yBar(stack) - yBar(stack + value));
          stack += value;
        });
        if (i === hovered) { ctx.fillStyle = 'rgba(255,255,255,0.18)'; ctx.fillRect(x0, L.top, Math.max(1, x1 - x0 - 1), L.bottom - L.top); }
      });
      const curve = (values2, below, colour) => {
        ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.beginPath();
        let started = false;
        for (let b = 0; b < nBins; b++) {
          const p = (m.edges[b] + m.edges[b + 1]) / 2;
          if (p < low || p > high || (below ? p > m.close : p < m.close)) continue;
          const x = xOf(p), y = yCum(values2[b]);
          if (started) ctx.lineTo(x, y); else ctx.moveTo(x, y);
          started = true;
        }
        ctx.stroke();
      };
      curve(cum.longs, true, LONG);
      curve(cum.shorts, false, SHORT);
      const xc = Math.round(xOf(m.close)) + 0.5;
      ctx.setLineDash([6, 4]); ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(xc, L.top); ctx.lineTo(xc, L.bottom); ctx.stroke(); ctx.setLineDash([]);
      ctx.fillStyle = '#dbdbea'; ctx.textAlign = 'center';
      ctx.fillText('price ' + fmt.price(m.close) + ' · ' + fmt.utc(m.ts), xc, L.top - 6);
      ctx.textAlign = 'left';
    }

    function barAt(x) {  // x: the canvas's CSS pixels
      if (!layout || x < layout.left || x >= layout.right) return -1;
      const p = m.range[0] + (x - layout.left) / (layout.right - layout.left) * (m.range[1] - m.range[0]);
      for (let i = 0; i < bars; i++) { const pr = barPrices(i); if (p >= pr.low && p < pr.high) return i; }
      return -1;
    }
    // The bar under a point of the canvas: its price range, USD per bin per enabled tier, and the
    // cumulative USD to it from the price.
    function readBar(i) {
      if (i < 0) return null;
      const v = barValues(i), pr = barPrices(i), cum = cumulative();
      const mid = first + i * perBar, below = pr.high <= m.close;
      return {
        priceLow: pr.low, priceHigh: pr.high, bins: Math.min(last, mid + perBar - 1) - mid + 1,
        tiers: m.tiers.filter((_, t) => enabled[t]),
        byTier: v.filter((_, t) => enabled[t]),
        usd: stackOf(v),
        cumulativeUsd: below ? cum.longs[mid] : cum.shorts[Math.min(last, mid + perBar - 1)],
        side: below ? 'longs' : 'shorts',
      };
    }
    function hoverAt(x, y) {
      hovered = barAt(x);
      render();
      const bar = readBar(hovered);
      if (!bar) { tip.hidden = true; return null; }
      tip.innerHTML = '';
      const line = (text, cls) => { const d = document.createElement('div'); d.textContent = text; if (cls) d.className = cls; tip.appendChild(d); };
      line(fmt.price(bar.priceLow) + ' – ' + fmt.price(bar.priceHigh));
      bar.tiers.forEach((lev, k) => {
        const v = bar.byTier[k];
        line(lev + 'x  longs ' + fmt.usd(v.long) + ' · shorts ' + fmt.usd(v.short) + ' per bin',
          v.long > v.short ? 'longs' : v.short > v.long ? 'shorts' : 'dim');
      });
      line('cumulative ' + bar.side + ' from the price ' + fmt.usd(bar.cumulativeUsd), 'dim');
      tip.hidden = false;
      tip.style.left = Math.min(x + 14, canvas.clientWidth - tip.offsetWidth - 4) + 'px';
      tip.style.top = Math.max(4, y - tip.offsetHeight - 10) + 'px';
      return bar;
    }
    function setTier(t, on) { enabled[t] = on; render(); }

    canvas.addEventListener('mousemove', (e) => { const r = canvas.getBoundingClientRect(); hoverAt(e.clientX - r.left, e.clientY - r.top); });
    canvas.addEventListener('mouseleave', () => { hovered = -1; tip.hidden = true; render(); });
    return { render, hoverAt, setTier, enabled: () => enabled.slice(), readBar, barAt, colours: TIER_COLOURS };
  }

  // Wires the page's "Liquidation map" button and leverage checkboxes to a chart of `m` (none:
  // the button is hidden); `backToHeatmap` redraws the heatmap when the user returns to it.
  function mount(m, fmt, backToHeatmap) {
    const stage = document.getElementById('stage'), barsStage = document.getElementById('bars-stage');
    const button = document.getElementById('show-bars'), tierBox = document.getElementById('tiers');
    const canvas = document.getElementById('bars'), tip = document.getElementById('bars-tip');
    if (!m) { button.hidden = true; return null; }
    const chart = create(canvas, tip, m, fmt);
    let lastX = -1;
    canvas.addEventListener('mousemove', (e) => { lastX = e.clientX - canvas.getBoundingClientRect().left; });
    function show(on) {
      barsStage.hidden = !on; stage.hidden = on; tierBox.hidden = !on;
      button.textContent = on ? 'Heatmap' : 'Liquidation map';
      if (on) chart.render(); else backToHeatmap();
    }
    m.tiers.forEach((leverage, t) => {
      const label = document.createElement('label'), box = document.createElement('input');
      box.type = 'checkbox'; box.checked = true;
      box.addEventListener('change', () => chart.setTier(t, box.checked));
      label.style.color = TIER_COLOURS[t % TIER_COLOURS.length];
      label.append(box, ' ' + leverage + 'x');
      tierBox.appendChild(label);
    });
    button.addEventListener('click', () => show(barsStage.hidden));
    const hook = {
      show,
      tierBoxes: () => Array.from(tierBox.querySelectorAll('input')),
      tierBoxRects: () => Array.from(tierBox.querySelectorAll('input')).map((b) => { const r = b.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2, checked: b.checked }; }),
      rect: () => { const r = canvas.getBoundingClientRect(); return { x: r.left, y: r.top, width: r.width, height: r.height }; },
      hovered: () => chart.readBar(chart.barAt(lastX)),
      tipText: () => (tip.hidden ? '' : tip.textContent),
      tiers: () => m.tiers.slice(),
    };
    return { show, chart, hook };
  }

  return { create, mount };
})();
