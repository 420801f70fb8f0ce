// The per-position math of MODEL.md sections 3 and 4, written once for the CPU backend and the
// device pipeline (nvcc for CUDA, g++ for Thrust's OpenMP system). Plain pointers and PODs only:
// the same code reads host or device memory. No exceptions, no allocation, no virtual calls.
//
// Exactness across backends: only IEEE-exact operations (+ - * / sqrt, ldexp, comparisons)
// feed the liquidation price, the price bin and the survival ratio, and floating-point
// contraction is off in every build (-ffp-contract=off, nvcc -fmad=false), so CPU and GPU
// agree bit for bit. The lognormal account size uses log/cos from each platform's libm; it
// only selects a margin bracket, so a last-ulp difference matters only on a bracket edge.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define LIQMAP_HD __host__ __device__ inline
#else
#define LIQMAP_HD inline
#endif

namespace liqmap::model {

enum Side : int { kLong = 0, kShort = 1 };
enum EntryCode : int { kEntryUniform = 0, kEntryTriangular = 1, kEntryClose = 2, kEntryPath = 3 };

struct BracketRow {
  double floor, cap, max_leverage, mmr, cum;
};

// One exchange of the run: its share and where its brackets sit in the flat bracket array.
struct ExchangeParams {
  int first_bracket;
  int bracket_count;
  int inverse;      // 1: inverse (coin-margined) contract
  int entry_basis;  // 1: maintenance margin at the entry notional (Bybit); 0: at the mark
  int unit_base;    // 1: bracket caps and cum in coins; 0: in quote currency
  double fee_rate;  // added to the maintenance rate
  double share;     // normalised
};

struct Sample {
  double entry;     // E
  double notional;  // Q, USD
  int leg;          // kEntryPath: the leg of the bar's path the entry lies on (0, 1, 2); else -1
};

// The bar's path open -> nearer extreme -> farther extreme -> close (the usual OHLC path
// assumption, the extreme closer to the open first) as three legs of price distance.
struct BarPath {
  bool low_first;
  double legs[3];
};

LIQMAP_HD BarPath bar_path(double open, double high, double low, double close) {
  BarPath p;
  p.low_first = open - low <= high - open;
  p.legs[0] = p.low_first ? open - low : high - open;
  p.legs[1] = high - low;
  p.legs[2] = p.low_first ? high - close : close - low;
  return p;
}

// The point a distance `at` (0 .. the path's length) along the bar's path: its price and leg.
LIQMAP_HD double point_on_path(const BarPath& p, double open, double high, double low, double at, int& leg) {
  if (at < p.legs[0]) { leg = 0; return p.low_first ? open - at : open + at; }
  at -= p.legs[0];
  if (at < p.legs[1]) { leg = 1; return p.low_first ? low + at : high - at; }
  at -= p.legs[1];
  leg = 2;
  const double rest = at < p.legs[2] ? at : p.legs[2];
  return p.low_first ? high - rest : low + rest;
}

// Two uniform draws in [0,1) and one standard normal from Philox4x32-10, keyed by the seed,
// counter (t, k). The same (seed, t, k) gives the same sample on every backend.
LIQMAP_HD Sample draw_sample(std::uint64_t seed, std::int64_t t, std::uint32_t k,
                             std::uint32_t samples_per_step, double low, double high,
                             double close, int entry_mode, double size_median,
                             double size_sigma, double open) {
  r123::Philox4x32 rng;
  r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(t),
                                         static_cast<std::uint32_t>(std::uint64_t(t) >> 32), k, 0u}};
  r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed),
                                     static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type r = rng(counter, key);

  // 53-bit uniform in [0,1) for the entry; two 32-bit uniforms for Box-Muller.
  const std::uint64_t bits = (std::uint64_t(r[0]) << 21) ^ (std::uint64_t(r[1]) >> 11);
  const double u_entry = double(bits & ((std::uint64_t(1) << 53) - 1)) * 0x1.0p-53;
  const double u1 = (double(r[2]) + 0.5) * 0x1.0p-32;  // (0,1): log is finite
  const double u2 = double(r[3]) * 0x1.0p-32;

  Sample s;
  s.leg = -1;
  const double range = high - low;
  if (entry_mode == kEntryPath) {
    // Stratified along the path's length: a bar's positions open where and when its price
    // traded, each at its own point of the path (a price passed twice is entered twice).
    const BarPath p = bar_path(open, high, low, close);
    const double length = p.legs[0] + p.legs[1] + p.legs[2];
    s.entry = point_on_path(p, open, high, low, (double(k) + u_entry) / double(samples_per_step) * length, s.leg);
  } else if (entry_mode == kEntryUniform) {
    s.entry = low + (double(k) + u_entry) / double(samples_per_step) * range;
  } else if (entry_mode == kEntryTriangular && range > 0) {
    const double left = close - low;
    const double right = high - close;
    s.entry = (u_entry * range < left) ? low + std::sqrt(u_entry * range * left)
                                       : high - std::sqrt((1.0 - u_entry) * range * right);
  } else if (entry_mode == kEntryTriangular) {
    s.entry = low;
  } else {
    s.entry = close;
  }
  if (size_sigma > 0) {
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    s.notional = size_median * std::exp(size_sigma * z);
  } else {
    s.notional = size_median;
  }
  return s;
}

// The bracket that holds the entry notional: it sets the leverage cap (and, on an entry basis,
// the maintenance rate). Past the last cap, the last bracket.
LIQMAP_HD int entry_bracket(const BracketRow* brackets, const ExchangeParams& ex, double entry,
                            double notional) {
  const double held = ex.unit_base ? notional / entry : notional;
  for (int i = 0; i < ex.bracket_count; ++i) {
    if (held <= brackets[ex.first_bracket + i].cap) return i;
  }
  return ex.bracket_count - 1;
}

// That bracket's row. It depends on the sample and the exchange only, so the passes over
// positions look it up once for all of a side's tiers.
LIQMAP_HD const BracketRow& entry_row(const BracketRow* brackets, const ExchangeParams& ex, double entry,
                                      double notional) {
  return brackets[ex.first_bracket + entry_bracket(brackets, ex, entry, notional)];
}

LIQMAP_HD double capped_leverage(const BracketRow& entry, double leverage) {
  return leverage < entry.max_leverage ? leverage : entry.max_leverage;
}

LIQMAP_HD double capped_leverage(const BracketRow* brackets, const ExchangeParams& ex,
                                 double entry, double notional, double leverage) {
  return capped_leverage(entry_row(brackets, ex, entry, notional), leverage);
}

// Linear contract, maintenance at the liquidation price (margin.md, "mark" basis).
LIQMAP_HD double linear_mark_price(int side, double entry, double leverage, double coins,
                                   double rate, double cum) {
  return side == kLong ? (entry * (1.0 - 1.0 / leverage) - cum / coins) / (1.0 - rate)
                       : (entry * (1.0 + 1.0 / leverage) + cum / coins) / (1.0 + rate);
}

// Linear contract, maintenance at the entry notional (margin.md, "entry" basis).
LIQMAP_HD double linear_entry_price(int side, double entry, double leverage, double coins,
                                    double rate, double cum) {
  return side == kLong ? entry * (1.0 - 1.0 / leverage + rate) - cum / coins
                       : entry * (1.0 + 1.0 / leverage - rate) + cum / coins;
}

// Inverse contract, maintenance at the liquidation price; `value` is the USD value V and
// `cum_coin` the maintenance amount in coins. 0 when a short can never be liquidated.
LIQMAP_HD double inverse_mark_price(int side, double entry, double leverage, double value,
                                    double rate, double cum_coin) {
  if (side == kLong) return entry * (1.0 + rate) / (1.0 + 1.0 / leverage + cum_coin * entry / value);
  const double denominator = 1.0 - 1.0 / leverage - cum_coin * entry / value;
  return denominator > 0 ? entry * (1.0 - rate) / denominator : 0.0;
}

// Liquidation price of an isolated position (margin.md). On an entry basis the bracket is the
// one holding the entry notional (`entry_bracket_row`, from entry_row); on a mark basis it is
// the first whose cap holds the notional at its own liquidation price (the last if none does).
// A result <= 0 (or NaN) means the position cannot be liquidated.
LIQMAP_HD double liquidation_price(const BracketRow* brackets, const ExchangeParams& ex, int side,
                                   double entry, double leverage, double notional,
                                   const BracketRow& entry_bracket_row) {
  const BracketRow* rows = brackets + ex.first_bracket;
  const double coins = notional / entry;
  if (ex.entry_basis) {
    const BracketRow& b = entry_bracket_row;
    return linear_entry_price(side, entry, leverage, coins, b.mmr + ex.fee_rate, b.cum);
  }
  double price = 0;
  for (int i = 0; i < ex.bracket_count; ++i) {
    const BracketRow& b = rows[i];
    const double rate = b.mmr + ex.fee_rate;
    double held;  // notional at the liquidation price, in the bracket's unit
    if (ex.inverse) {
      const double cum_coin = ex.unit_base ? b.cum : b.cum / entry;
      price = inverse_mark_price(side, entry, leverage, notional, rate, cum_coin);
      held = ex.unit_base ? (price > 0 ? notional / price : 0.0) : notional;
    } else {
      const double cum_quote = ex.unit_base ? b.cum * entry : b.cum;
      price = linear_mark_price(side, entry, leverage, coins, rate, cum_quote);
      held = ex.unit_base ? coins : coins * price;
    }
    if (held <= b.cap) return price;
  }
  return price;
}

LIQMAP_HD double liquidation_price(const BracketRow* brackets, const ExchangeParams& ex, int side,
                                   double entry, double leverage, double notional) {
  return liquidation_price(brackets, ex, side, entry, leverage, notional, entry_row(brackets, ex, entry, notional));
}

// The price bin holding `price`: bin b covers [edges[b], edges[b+1]), the top edge is in the
// last bin. -1 when outside the axis. A direct index as if the edges were evenly spaced, kept
// only when the same edges confirm it (edges[b] <= price < edges[b+1] holds for one bin only),
// else a search over the edges: linear and log axes stay exact and identical on every backend.
LIQMAP_HD bool price_in_bin(const double* edges, int bins, int bin, double price) {
  return edges[bin] <= price && (bin == bins - 1 || price < edges[bin + 1]);
}

LIQMAP_HD int price_bin(const double* edges, int bins, double price) {
  if (!(price >= edges[0]) || price > edges[bins]) return -1;
  const int guess = static_cast<int>((price - edges[0]) / (edges[bins] - edges[0]) * bins);
  const int bin = guess < 0 ? 0 : guess > bins - 1 ? bins - 1 : guess;
  if (price_in_bin(edges, bins, bin, price)) return bin;
  if (bin > 0 && price_in_bin(edges, bins, bin - 1, price)) return bin - 1;
  if (bin < bins - 1 && price_in_bin(edges, bins, bin + 1, price)) return bin + 1;
  int lo = 0, hi = bins;  // edges[lo] <= price < edges[hi] (or price == edges[bins])
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    if (edges[mid] <= price) lo = mid; else hi = mid;
  }
  return lo;
}

// First step t > t0 at which a long (low <= LP) or short (high >= LP) is liquidated, or
// `steps` if none: a descent over sparse tables of range-min(low) / range-max(high), where
// table[level * steps + i] covers steps [i, i + 2^level). O(log T).
LIQMAP_HD std::int64_t first_passage_step(const double* min_low, const double* max_high,
                                          int levels, std::int64_t steps, std::int64_t t0,
                                          int side, double price) {
  std::int64_t t = t0 + 1;
  for (int level = levels - 1; level >= 0; --level) {
    const std::int64_t span = std::int64_t(1) << level;
    if (t + span > steps) continue;
    const std::int64_t cell = std::int64_t(level) * steps + t;
    const bool untouched = side == kLong ? min_low[cell] > price : max_high[cell] < price;
    if (untouched) t += span;
  }
  return t;
}

// Whether a position entered at `entry` in bar t0 is liquidated later in that same bar. The
// bar's path is open -> nearer extreme -> farther extreme -> close (the usual OHLC path
// assumption); the entry is the first point of the path at that price, and only the part of
// the path after it can reach the liquidation price.
LIQMAP_HD bool liquidated_in_opening_bar(int side, double price, double entry, double open,
                                         double high, double low, double close, int leg = -1) {
  double after_min, after_max;
  if (leg >= 0) {  // kEntryPath: the entry's own point of the path, on leg `leg`
    const bool low_first = open - low <= high - open;
    after_min = leg == 0 ? low : leg == 1 ? (low_first ? (entry < close ? entry : close) : low) : (low_first ? close : entry);
    after_max = leg == 0 ? high : leg == 1 ? (low_first ? high : (entry > close ? entry : close)) : (low_first ? entry : close);
  } else if (open - low <= high - open) {  // open -> low -> high -> close
    after_max = high;
    after_min = entry <= open ? low : (entry < close ? entry : close);
  } else {  // open -> high -> low -> close
    after_min = low;
    after_max = entry >= open ? high : (entry > close ? entry : close);
  }
  return side == kLong ? after_min <= price : after_max >= price;
}

// The step at which a position opened at t0 is liquidated: t0 itself when the same-bar path
// is on and reaches the price, else the first later step `first_passage(t0, side, price)` finds
// (`steps` if none): the sparse tables' descent, or the CPU's exact record cursor.
template <class FirstPassage>
LIQMAP_HD std::int64_t liquidation_step(std::int64_t t0, int side, double price, int same_bar, double entry,
                                        double open, double high, double low, double close,
                                        const FirstPassage& first_passage, int leg = -1) {
  if (same_bar && liquidated_in_opening_bar(side, price, entry, open, high, low, close, leg)) return t0;
  return first_passage(t0, side, price);
}

// ldexp(x, shift), exactly: while 2^shift is a normal double, x * 2^shift is the same one
// rounding of the same exact product (IEEE), without ldexp's library call (a few % of a run).
LIQMAP_HD double times_power_of_two(double x, std::int64_t shift) {
  if (shift < -1022 || shift > 1023) return std::ldexp(x, static_cast<int>(shift));
  const std::uint64_t bits = std::uint64_t(shift + 1023) << 52;
#if defined(__CUDA_ARCH__)
  return x * __longlong_as_double(static_cast<long long>(bits));
#else
  double power;
  std::memcpy(&power, &bits, sizeof power);
  return x * power;
#endif
}

// S_t / S_t0 from the survival kept as mantissa * 2^exponent per step, restarted after each
// step that closes everything (wipe): exact IEEE operations only, no under/overflow.
LIQMAP_HD double survival_ratio(const double* mantissa, const std::int64_t* exponent,
                                const std::int64_t* wipes, std::int64_t t0, std::int64_t t) {
  if (wipes[t] != wipes[t0]) return 0.0;
  const std::int64_t shift = exponent[t] - exponent[t0];
  const double ratio = mantissa[t] / mantissa[t0];
  if (shift < -2200) return 0.0;
  return times_power_of_two(ratio, shift);
}

// USD to integer units, rounded to nearest, ties to even (llrint in the default rounding mode).
LIQMAP_HD std::int64_t to_fixed(double usd, double scale) {
  const double units = usd * scale;
#if !defined(__CUDA_ARCH__)
  // The host's llrint is a library call (1.5% of a run). Below 2^51 in magnitude, the sum with
  // 1.5 * 2^52 lies where doubles are 1 apart, so the addition rounds `units` to an integer
  // (ties to even, as 1.5 * 2^52 is even) and the subtraction is exact: llrint's integer.
  if (std::fabs(units) < 0x1.0p51) return static_cast<std::int64_t>((units + 0x1.8p52) - 0x1.8p52);
#endif
  return static_cast<std::int64_t>(std::llrint(units));
}

LIQMAP_HD void atomic_add(std::int64_t* target, std::int64_t value) {
#if defined(__CUDA_ARCH__)
  atomicAdd(reinterpret_cast<unsigned long long*>(target), static_cast<unsigned long long>(value));
#else
  __atomic_fetch_add(target, value, __ATOMIC_RELAXED);
#endif
}

}  // namespace liqmap::model
