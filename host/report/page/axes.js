// The page's axis ticks: times at even UTC steps with the year in the labels, prices at round
// numbers, spread evenly on a log axis (equal price steps bunch up at its top).
'use strict';

const LiqmapAxes = (function () {
  const MINUTE = 60e3, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  // Fixed steps divide the UTC day (or are whole days since the epoch); months are calendar months.
  const FIXED = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
    DAY, 2 * DAY, 7 * DAY, 14 * DAY];
  const MONTHS = [1, 2, 3, 6, 12, 24, 60];

  function iso(t) { return new Date(t).toISOString(); }
  function label(t, step) {
    const s = iso(t);
    if (step >= 28 * DAY) return step >= 365 * DAY ? s.slice(0, 4) : s.slice(0, 7);  // 2026, 2026-04
    if (step >= DAY) return s.slice(0, 10);                                           // 2026-04-03
    return s.slice(0, 10) + ' ' + s.slice(11, 16);                                    // 2026-04-03 06:00
  }

  // At most about `maxTicks` ticks in [t0, t1]: [{ t, label }], equally spaced.
  function timeTicks(t0, t1, maxTicks) {
    const span = t1 - t0, most = Math.max(1, maxTicks);
    const step = FIXED.find((s) => span / s <= most);
    const ticks = [];
    if (step !== undefined) {
      for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push({ t, label: label(t, step) });
      return ticks;
    }
    const months = MONTHS.find((m) => span / (m * 30.44 * DAY) <= most) || MONTHS[MONTHS.length - 1];
    const start = new Date(t0);
    // Months counted from year 0, so a 3-month step falls on January, April, July, October.
    for (let m = Math.ceil((start.getUTCFullYear() * 12 + start.getUTCMonth()) / months) * months; ; m += months) {
      const t = Date.UTC(Math.floor(m / 12), m % 12, 1);
      if (t > t1) break;
      if (t >= t0) ticks.push({ t, label: label(t, months * 30 * DAY) });
    }
    return ticks;
  }

  function niceStep(span, count) {
    const raw = span / Math.max(1, count), power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
    return 10 * power;
  }
  // Rounded to 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 or 8 times a power of ten, the nearest in ratio.
  function roundPrice(p) {
    const power = Math.pow(10, Math.floor(Math.log10(p)));
    let best = p, bestRatio = Infinity;
    for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10]) {
      const ratio = Math.abs(Math.log(m * power / p));
      if (ratio < bestRatio) { bestRatio = ratio; best = m * power; }
    }
    return best;
  }

  // Round prices in [low, high], about `count` of them: equal steps on a linear axis, equal
  // ratios (each rounded) on a log axis, so the labels stand evenly apart on either.
  function priceTicks(low, high, count, logScale) {
    const ticks = [];
    if (!(high > low)) return ticks;
    if (!logScale || high / low < 1.5) {
      const step = niceStep(high - low, count);
      for (let p = Math.ceil(low / step) * step; p <= high; p += step) ticks.push(p);
      return ticks;
    }
    const n = Math.max(2, Math.round(count)), ratio = Math.pow(high / low, 1 / n);
    for (let k = 0; k <= n; k++) {
      const p = roundPrice(low * Math.pow(ratio, k));
      if (p >= low && p <= high && (ticks.length === 0 || p / ticks[ticks.length - 1] > Math.sqrt(ratio))) ticks.push(p);
    }
    return ticks;
  }

  return { timeTicks, priceTicks, DAY };
})();
