// Candles over the heatmap: open/high/low/close bodies and wicks, as heatmap.png draws them
// (the bands end at highs and lows a close line never reaches). Columns narrower than a
// readable candle are merged: the first open, the last close, the highest high, the lowest low.
'use strict';

const LiqmapCandles = (function () {
  const UP = '#e8e8f2', DOWN = '#ff3b4f';  // no viridis colour comes near either
  const MIN_SLOT = 4;                      // CSS pixels per candle at the least

  // Draws the candles of columns [from, to]; `x(t)` and `y(price)` map to the canvas, `slot` is
  // the width one column takes.
  function draw(ctx, c, from, to, x, y, slot) {
    const group = Math.max(1, Math.ceil(MIN_SLOT / Math.max(slot, 1e-9)));
    // Whole pixels and an odd width, so the wick sits unblurred in the body's middle column.
    const width = Math.max(1, Math.min(15, Math.round(slot * group * 0.7))) | 1;
    const start = Math.floor(from / group) * group;
    for (let a = start; a <= to; a += group) {
      const b = Math.min(to, a + group - 1, c.ts.length - 1);
      let high = -Infinity, low = Infinity;
      for (let k = a; k <= b; k++) { high = Math.max(high, c.high[k]); low = Math.min(low, c.low[k]); }
      const open = c.open[a], close = c.close[b];
      const xc = Math.floor((x(c.ts[a]) + x(c.ts[b])) / 2);
      ctx.fillStyle = close >= open ? UP : DOWN;
      ctx.fillRect(xc, y(high), 1, Math.max(1, y(low) - y(high)));                       // the wick
      const top = y(Math.max(open, close)), bottom = y(Math.min(open, close));
      ctx.fillRect(xc - (width >> 1), top, width, Math.max(1, bottom - top));            // the body
    }
    return group;
  }

  return { draw, UP, DOWN };
})();
