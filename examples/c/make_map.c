/* make_map: a liquidation heatmap from arrays, through liqmap's C API.
 *
 * It builds a small market (a random walk of one-minute candles with open interest that rises
 * and falls), computes the map on the CPU and prints the run and the clusters at the last
 * column. Build it against an installed liqmap:
 *
 *   cc make_map.c $(pkg-config --cflags --libs liqmap) -lm -o make_map
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <liqmap/liqmap.h>

enum { steps = 2000 };

/* Stops the program with liqmap's message when a call fails. */
static void check(liqmap_status status, const char* call) {
  if (status != LIQMAP_OK) {
    fprintf(stderr, "%s failed (%s): %s\n", call, liqmap_status_name(status), liqmap_last_error());
    exit(1);
  }
}

/* xorshift64*: a few lines of randomness that give the same market on every platform. */
static double uniform(uint64_t* state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return (double)((*state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static void make_market(int64_t* ts, double* open, double* high, double* low, double* close,
                        double* oi) {
  uint64_t state = 88172645463325252ull;
  double price = 60000, open_interest = 50000;
  size_t t;
  for (t = 0; t < steps; ++t) {
    const double move = (uniform(&state) - 0.5) * 0.004;
    ts[t] = 1767225600000 + (int64_t)t * 60000;
    open[t] = price;
    close[t] = price * exp(move);
    high[t] = fmax(open[t], close[t]) * (1 + uniform(&state) * 0.001);
    low[t] = fmin(open[t], close[t]) * (1 - uniform(&state) * 0.001);
    open_interest *= 1 + (uniform(&state) - 0.48) * 0.004; /* builds up slowly, with flushes */
    oi[t] = open_interest;
    price = close[t];
  }
}

int main(void) {
  static int64_t ts[steps];
  static double open[steps], high[steps], low[steps], close[steps], oi[steps];
  liqmap_market market = {.size = sizeof(liqmap_market), .length = steps};
  liqmap_run_options options = liqmap_run_options_default();
  liqmap_cluster_summary summary = {.size = sizeof(liqmap_cluster_summary)};
  liqmap_run_stats stats = {.size = sizeof(liqmap_run_stats)};
  liqmap_peak peaks[10];
  size_t peak_count = 0, i;
  liqmap_engine* engine = NULL;
  static const char* const side_names[] = {"above", "below"};
  static const char* const bias_names[] = {"balanced", "dominant_above", "dominant_below"};

  make_market(ts, open, high, low, close, oi);
  market.ts = ts;
  market.open = open;
  market.high = high;
  market.low = low;
  market.close = close;
  market.oi = oi;
  options.backend = LIQMAP_BACKEND_CPU;

  printf("liqmap %s\n", liqmap_version());
  check(liqmap_engine_create(&engine), "liqmap_engine_create");
  check(liqmap_engine_set_config(engine, "{\"grid\": {\"price_bins\": 400},"
                                         " \"positions\": {\"samples_per_step\": 16}}"),
        "liqmap_engine_set_config");
  check(liqmap_engine_set_market(engine, &market), "liqmap_engine_set_market");
  check(liqmap_engine_compute(engine, &options), "liqmap_engine_compute");

  check(liqmap_engine_get_stats(engine, &stats), "liqmap_engine_get_stats");
  printf("%llu positions, %.0f USD opened, %.0f USD liquidated\n",
         (unsigned long long)stats.positions_drawn, stats.opened_usd, stats.liquidated_usd);

  check(liqmap_engine_get_cluster_summary(engine, &summary), "liqmap_engine_get_cluster_summary");
  check(liqmap_engine_get_peaks(engine, peaks, sizeof peaks / sizeof peaks[0], &peak_count),
        "liqmap_engine_get_peaks");
  printf("close %.1f: %.0f USD above, %.0f USD below, bias %s\n", summary.price,
         summary.above_usd, summary.below_usd, bias_names[summary.bias]);
  printf("top clusters:\n");
  for (i = 0; i < peak_count; ++i)
    printf("  %9.1f  %12.0f USD  %s  %+6.2f%%\n", peaks[i].price, peaks[i].value_usd,
           side_names[peaks[i].side], peaks[i].distance_pct);

  check(liqmap_engine_free(engine), "liqmap_engine_free");
  return 0;
}
