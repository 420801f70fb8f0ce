/* liqmap.h: the C API of liqmap, a liquidation-heatmap engine for crypto perpetual futures.
 *
 * One header, plain C99, no C++ type or exception crosses it. The model it computes is
 * described in MODEL.md; the configuration is the JSON document of its section 8.
 *
 * Typical use:
 *
 *   liqmap_engine* engine = NULL;
 *   liqmap_engine_create(&engine);
 *   liqmap_engine_set_config(engine, "{\"grid\": {\"price_bins\": 512}}");
 *   liqmap_engine_set_market(engine, &market);         (arrays, copied)
 *   liqmap_engine_compute(engine, NULL);               (default backend and threads)
 *   liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, buf, n, &count);
 *   liqmap_engine_free(engine);
 *
 * Errors. Every call that can fail returns a liqmap_status; LIQMAP_OK is 0. On failure,
 * liqmap_last_error() returns a message that says what was expected and what came. No call
 * aborts the process or throws.
 *
 * Ownership. The engine copies everything it is given (config text, market arrays) before the
 * call returns; the caller keeps ownership of its pointers. Results are copied out into buffers
 * the caller owns, so nothing the library allocates is handed to the caller except the engine
 * itself, which liqmap_engine_free releases.
 *
 * Buffers (the query-size pattern). A getter that fills an array takes (buffer, capacity,
 * count): it always stores the number of elements the full answer needs in *count. With
 * buffer == NULL it stops there and returns LIQMAP_OK, so a caller can ask for the size first;
 * with capacity < *count it copies nothing and returns LIQMAP_ERROR_BUFFER_TOO_SMALL. Strings
 * count their terminating NUL.
 *
 * Growing structs. A struct that starts with a `size` field is versioned by it: the caller sets
 * size = sizeof(the struct) as its header declares it, so a newer library can add fields at
 * the end and still serve callers built against this header.
 *
 * Thread safety. Handles are independent: different threads may use different engines at the
 * same time. One engine must not be used by two threads at once (use one engine per thread).
 * The functions that take no engine are safe to call from any thread. The last-error message
 * is kept per thread.
 */
#ifndef LIQMAP_H
#define LIQMAP_H

#include <stddef.h>
#include <stdint.h>

#include "liqmap/version.h"

#if defined(__GNUC__) || defined(__clang__)
#define LIQMAP_API __attribute__((visibility("default")))
#else
#define LIQMAP_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------------------------ */

/* The version of the library actually loaded, "MAJOR.MINOR.PATCH"; compare with the macros of
 * liqmap/version.h to detect a header/library mismatch. */
LIQMAP_API const char* liqmap_version(void);
/* MAJOR * 10000 + MINOR * 100 + PATCH, as LIQMAP_VERSION_NUMBER. */
LIQMAP_API unsigned liqmap_version_number(void);

/* ---- Status and errors ---------------------------------------------------------------------- */

/* Values 0 to 8 are the engine's error codes; the rest belong to this API. Values never change. */
typedef enum liqmap_status {
  LIQMAP_OK = 0,
  LIQMAP_ERROR_INVALID_ARGUMENT = 1, /* a call's arguments are wrong: NULL pointer, bad length */
  LIQMAP_ERROR_CONFIG = 2,           /* the configuration breaks a rule of MODEL.md section 8 */
  LIQMAP_ERROR_INPUT = 3,            /* the market breaks a rule of MODEL.md section 1 */
  LIQMAP_ERROR_IO = 4,               /* a file could not be read (a schedule path in the config) */
  LIQMAP_ERROR_OUT_OF_MEMORY = 5,    /* host or device memory ran out */
  LIQMAP_ERROR_DEVICE = 6,           /* CUDA failed, or the CUDA backend is not usable here */
  LIQMAP_ERROR_CANCELLED = 7,        /* the progress callback asked to stop */
  LIQMAP_ERROR_INTERNAL = 8,         /* a bug in liqmap: please report the message */
  LIQMAP_ERROR_BUFFER_TOO_SMALL = 9, /* capacity < *count; nothing was copied */
  LIQMAP_ERROR_INVALID_HANDLE = 10,  /* NULL, already freed, or never created by this library */
  LIQMAP_ERROR_NO_MARKET = 11,       /* compute before liqmap_engine_set_market succeeded */
  LIQMAP_ERROR_NO_RESULT = 12        /* a result getter before liqmap_engine_compute succeeded */
} liqmap_status;

/* A constant name for a status ("ok", "config", "buffer_too_small", ...). */
LIQMAP_API const char* liqmap_status_name(liqmap_status status);

/* The message of the most recent failed call on this thread ("" if none); a call that succeeds
 * leaves it as it was. The pointer stays valid until the next liqmap call on this thread. */
LIQMAP_API const char* liqmap_last_error(void);

/* ---- Backends ------------------------------------------------------------------------------- */

typedef enum liqmap_backend {
  LIQMAP_BACKEND_AUTO = 0, /* CUDA when a device is usable, else the CPU (the reason is kept) */
  LIQMAP_BACKEND_CPU = 1,
  LIQMAP_BACKEND_CUDA = 2  /* fails with LIQMAP_ERROR_DEVICE when CUDA is not usable */
} liqmap_backend;

typedef struct liqmap_backend_info {
  size_t size;          /* set to sizeof(liqmap_backend_info) */
  int cuda_compiled;    /* 1 when this build has the CUDA backend */
  int cuda_usable;      /* 1 when a CUDA device can run it now */
  char cuda_reason[256]; /* why not usable, or the device's description (truncated) */
} liqmap_backend_info;

LIQMAP_API liqmap_status liqmap_get_backend_info(liqmap_backend_info* info);

/* ---- Market --------------------------------------------------------------------------------- */

/* A market series as a struct of arrays, each `length` long (MODEL.md section 1). The optional
 * columns may be NULL when absent. */
typedef struct liqmap_market {
  size_t size;               /* set to sizeof(liqmap_market) */
  size_t length;             /* number of steps T, >= 1 */
  const int64_t* ts;         /* ms since the Unix epoch, strictly increasing */
  const double* open;
  const double* high;
  const double* low;
  const double* close;
  const double* volume;      /* optional: base units */
  const double* oi;          /* optional: open interest, unit as the config's flow.oi_unit */
  const double* long_share;  /* optional: share of new positions that are long, in [0, 1] */
  /* Added in 0.1 (after long_share): leading warm-up rows, as liqmap_engine_read_market counts
   * them (docs/model.md, "Warm-up"); 0 when the struct is older. */
  size_t warmup_rows;
} liqmap_market;

/* The built-in synthetic market (a BTC-like week of one-minute bars by default), deterministic
 * by seed: fills each non-NULL array with `steps` values. ts, open, high, low and close must not
 * be NULL; volume and oi may be. steps is 2 to 100,000,000. */
LIQMAP_API liqmap_status liqmap_synthetic_market(size_t steps, uint64_t seed, int64_t* ts,
                                                 double* open, double* high, double* low,
                                                 double* close, double* volume, double* oi);

/* The configuration the CLI's demo uses (five venues) as JSON. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_demo_config(char* buffer, size_t capacity, size_t* count);

/* ---- Engine --------------------------------------------------------------------------------- */

typedef struct liqmap_engine liqmap_engine;

/* A new engine with the default configuration (MODEL.md section 8) and no market. */
LIQMAP_API liqmap_status liqmap_engine_create(liqmap_engine** engine);

/* Releases the engine and everything it holds. NULL is accepted and does nothing; a handle that
 * was already freed returns LIQMAP_ERROR_INVALID_HANDLE instead of corrupting memory (unless its
 * address has since been reused by a new engine). Freeing, or setting the market or configuration
 * of, an engine from inside its own progress callback returns LIQMAP_ERROR_INVALID_ARGUMENT (cancel
 * by returning nonzero instead). An engine is used by one thread at a time: a free from another
 * thread while it computes is not detected. */
LIQMAP_API liqmap_status liqmap_engine_free(liqmap_engine* engine);

/* Replaces the configuration with `json` parsed over the defaults; NULL or "" restores the
 * defaults. On failure the previous configuration stays. Discards any result. */
LIQMAP_API liqmap_status liqmap_engine_set_config(liqmap_engine* engine, const char* json);

/* The configuration in effect, as JSON (schedules by name). Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_config(liqmap_engine* engine, char* buffer,
                                                  size_t capacity, size_t* count);

/* Copies and validates the market. On failure the previous market stays. Discards any result. */
LIQMAP_API liqmap_status liqmap_engine_set_market(liqmap_engine* engine,
                                                  const liqmap_market* market);

/* Adds a venue with its own market (copied and validated) for a several-venue compute (README
 * "Several venues"): each venue's map comes from its own flow with `schedule` (a built-in name or
 * a .json path; NULL: the configuration's exchanges entry named `name`), on shared axes, and the
 * result is their sum. While an engine has venues, compute uses them and not the market set by
 * liqmap_engine_set_market. On failure nothing is added. Discards any result. */
LIQMAP_API liqmap_status liqmap_engine_add_venue(liqmap_engine* engine, const char* name,
                                                 const char* schedule, const liqmap_market* market);

/* Removes every venue added; compute then uses the market again. Discards any result. */
LIQMAP_API liqmap_status liqmap_engine_clear_venues(liqmap_engine* engine);

/* Called now and then, on the thread that called compute, with the fraction done (0 to 1).
 * Return 0 to go on, anything else to cancel: compute then returns LIQMAP_ERROR_CANCELLED.
 * A short run on several threads may finish before the first call. */
typedef int (*liqmap_progress_fn)(double fraction, void* user_data);

/* The most CPU threads a run takes; more is LIQMAP_ERROR_INVALID_ARGUMENT. */
#define LIQMAP_MAX_THREADS 1024

typedef struct liqmap_run_options {
  size_t size;                  /* set to sizeof(liqmap_run_options) */
  liqmap_backend backend;
  int threads;                  /* CPU threads; 0 = all hardware threads, at most LIQMAP_MAX_THREADS */
  liqmap_progress_fn progress;  /* may be NULL */
  void* progress_user_data;     /* passed to progress as is */
} liqmap_run_options;

/* The defaults: auto backend, all threads, no callback. */
LIQMAP_API liqmap_run_options liqmap_run_options_default(void);

/* Runs the model on the market and configuration set. `options` may be NULL (the defaults).
 * On success the result replaces the previous one; on failure there is no result. */
LIQMAP_API liqmap_status liqmap_engine_compute(liqmap_engine* engine,
                                               const liqmap_run_options* options);

/* ---- Result: grids, axes, series, statistics ------------------------------------------------ */

typedef enum liqmap_grid_side {
  LIQMAP_GRID_LONG = 0,  /* H_long: long positions, liquidated when price falls */
  LIQMAP_GRID_SHORT = 1, /* H_short */
  LIQMAP_GRID_TOTAL = 2  /* H = H_long + H_short */
} liqmap_grid_side;

typedef enum liqmap_grid_stage {
  LIQMAP_GRID_RAW = 0,
  LIQMAP_GRID_SMOOTHED = 1 /* after the Gaussian of MODEL.md section 5; what maps show */
} liqmap_grid_stage;

typedef enum liqmap_price_scale { LIQMAP_SCALE_LINEAR = 0, LIQMAP_SCALE_LOG = 1 } liqmap_price_scale;

typedef struct liqmap_axes {
  size_t size;        /* set to sizeof(liqmap_axes) */
  size_t price_bins;  /* grid rows */
  size_t columns;     /* grid columns */
  size_t steps;       /* T, the market's length */
  double price_min;
  double price_max;
  liqmap_price_scale price_scale;
} liqmap_axes;

LIQMAP_API liqmap_status liqmap_engine_get_axes(liqmap_engine* engine, liqmap_axes* axes);

/* A grid, row-major: price_bins rows (row 0 = lowest price) of `columns` values, in USD.
 * Query-size pattern; *count = price_bins * columns. */
LIQMAP_API liqmap_status liqmap_engine_get_grid(liqmap_engine* engine, liqmap_grid_side side,
                                                liqmap_grid_stage stage, double* buffer,
                                                size_t capacity, size_t* count);

typedef enum liqmap_series {
  LIQMAP_SERIES_PRICE_EDGES = 0,      /* price_bins + 1 bin edges */
  LIQMAP_SERIES_PRICE_CENTRES = 1,    /* price_bins centres (geometric on a log axis) */
  LIQMAP_SERIES_LIQUIDATED_LONG = 2,  /* R_long[t]: USD liquidated at each step (length T) */
  LIQMAP_SERIES_LIQUIDATED_SHORT = 3  /* R_short[t] */
} liqmap_series;

/* One of the series above. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_series(liqmap_engine* engine, liqmap_series series,
                                                  double* buffer, size_t capacity,
                                                  size_t* count);

/* The timestamp (ms) of each grid column: the last step of its group. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_column_ts(liqmap_engine* engine, int64_t* buffer,
                                                     size_t capacity, size_t* count);

typedef struct liqmap_run_stats {
  size_t size; /* set to sizeof(liqmap_run_stats) */
  uint64_t positions_drawn;
  uint64_t positions_in_range;
  uint64_t positions_out_of_range;
  uint64_t positions_unliquidatable;
  uint64_t positions_liquidated;
  double opened_usd;
  double in_range_usd;
  double out_of_range_usd;
  double unliquidatable_usd;
  double liquidated_usd;
  double total_seconds;
  int threads;
  liqmap_backend backend;  /* the backend that ran: CPU or CUDA */
  char flow_source[16];    /* "oi" or "volume" */
} liqmap_run_stats;

LIQMAP_API liqmap_status liqmap_engine_get_stats(liqmap_engine* engine, liqmap_run_stats* stats);

/* The full statistics as JSON, as axes.json holds them (with the backend's note and the time of
 * each stage). Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_stats_json(liqmap_engine* engine, char* buffer,
                                                      size_t capacity, size_t* count);

/* ---- Clusters (MODEL.md section 7) ---------------------------------------------------------- */

/* Clusters are read from the smoothed grid at one column: the configuration's clusters.column
 * (default: the last) unless liqmap_engine_extract_clusters chose another. */

typedef enum liqmap_cluster_side {
  LIQMAP_SIDE_ABOVE = 0, /* above the close: short liquidations, forced buying */
  LIQMAP_SIDE_BELOW = 1  /* below the close: long liquidations, forced selling */
} liqmap_cluster_side;

typedef enum liqmap_bias {
  LIQMAP_BIAS_BALANCED = 0,       /* |asymmetry| < 0.2 */
  LIQMAP_BIAS_DOMINANT_ABOVE = 1, /* asymmetry >= 0.2: short-squeeze fuel above */
  LIQMAP_BIAS_DOMINANT_BELOW = 2  /* asymmetry <= -0.2: long-liquidation risk below */
} liqmap_bias;

/* Peaks and zones are array elements, so their layout is fixed: a new field would come with
 * new functions, never by growing these. */
typedef struct liqmap_peak {
  size_t bin;
  double price;        /* bin centre */
  double value_usd;    /* smoothed H at the bin */
  double prominence;   /* as scipy.signal.find_peaks defines it, in USD */
  liqmap_cluster_side side;
  double distance_pct; /* (price - close) / close * 100 */
} liqmap_peak;

typedef struct liqmap_zone {
  size_t first_bin;    /* inclusive */
  size_t last_bin;     /* inclusive */
  double price_low;    /* outer bin edges */
  double price_high;
  double notional_usd; /* sum of h over the zone */
  size_t peak_count;   /* liqmap_engine_get_zone_peaks lists them */
  int stacked;         /* 1 when two or more peaks lie inside */
} liqmap_zone;

typedef struct liqmap_cluster_summary {
  size_t size;       /* set to sizeof(liqmap_cluster_summary) */
  size_t column;     /* the grid column the clusters were read at */
  int64_t ts;        /* its timestamp (ms) */
  double price;      /* p*: the close at that column's step */
  size_t peak_count; /* the `top` largest peaks at most */
  size_t zone_count;
  double above_usd;  /* notional above p* */
  double below_usd;
  double asymmetry;  /* (above - below) / (above + below) */
  liqmap_bias bias;
  int has_largest_above; /* 0 when no peak lies above p* */
  liqmap_peak largest_above;
  int has_largest_below;
  liqmap_peak largest_below;
} liqmap_cluster_summary;

/* Reads the clusters at `column` (negative counts from the end: -1 is the last column) with the
 * configuration's cluster options; later cluster getters describe this column. */
LIQMAP_API liqmap_status liqmap_engine_extract_clusters(liqmap_engine* engine, int64_t column);

LIQMAP_API liqmap_status liqmap_engine_get_cluster_summary(liqmap_engine* engine,
                                                           liqmap_cluster_summary* summary);

/* The peaks, largest h first. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_peaks(liqmap_engine* engine, liqmap_peak* buffer,
                                                 size_t capacity, size_t* count);

/* The zones, lowest price first. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_zones(liqmap_engine* engine, liqmap_zone* buffer,
                                                 size_t capacity, size_t* count);

/* The peaks inside zone `zone`, as indices into the array liqmap_engine_get_peaks returns.
 * Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_zone_peaks(liqmap_engine* engine, size_t zone,
                                                      size_t* buffer, size_t capacity,
                                                      size_t* count);

typedef enum liqmap_cluster_curve {
  LIQMAP_CURVE_SHORT_ABOVE = 0, /* per bin: short liquidations summed from p* upward; 0 below */
  LIQMAP_CURVE_LONG_BELOW = 1   /* per bin: long liquidations summed from p* downward; 0 above */
} liqmap_cluster_curve;

/* A cumulative curve, one value per price bin. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_cluster_curve(liqmap_engine* engine,
                                                         liqmap_cluster_curve curve,
                                                         double* buffer, size_t capacity,
                                                         size_t* count);

/* ---- Files: the CLI's readers and output files (for the Python package) ------------------- */

/* These functions live in the shared library only (libliqmap.a leaves them out: they need
 * libzip and Cairo). */

typedef struct liqmap_read_options {
  size_t size;          /* set to sizeof(liqmap_read_options) */
  const char* format;   /* NULL or "auto" (per file), "generic", "binance-klines", "binance-metrics" */
  const char* oi_unit;  /* NULL: what the files say; "base" or "quote" */
  int drop_bad_rows;    /* 1: drop rows that break a rule (listed in the notices) instead of failing */
  double warmup_days;   /* days of candles kept before the first OI value; < 0: the config's */
} liqmap_read_options;

LIQMAP_API liqmap_read_options liqmap_read_options_default(void);

/* Reads candle files (and open-interest files, joined as-of) with the CLI's readers (`liqmap
 * compute --market ... --oi ...`): generic CSV, Binance klines and metrics, .zip, globs. Errors
 * name file, line and column. On success the market replaces the engine's (as set_market), the
 * unit of open interest the files say is applied to the configuration, and a market of candles
 * without open interest gets the CLI's default volume half-life unless the configuration sets
 * one; liqmap_engine_get_notices says what was done. options may be NULL. */
LIQMAP_API liqmap_status liqmap_engine_read_market(liqmap_engine* engine,
                                                   const char* const* market_paths,
                                                   size_t market_count,
                                                   const char* const* oi_paths, size_t oi_count,
                                                   const liqmap_read_options* options);

/* The CLI's defaults for a market set by arrays: oi_unit ("base", "quote", NULL: leave the
 * configuration's) is applied, and the volume half-life default as liqmap_engine_read_market. */
LIQMAP_API liqmap_status liqmap_engine_apply_market_defaults(liqmap_engine* engine,
                                                             const char* oi_unit);

/* How liqmap_engine_load_market takes a market's arrays. */
typedef struct liqmap_load_options {
  size_t size;                 /* set to sizeof(liqmap_load_options) */
  const char* name;            /* the data in messages and notices ("<name>: row 5: ..."); NULL: "market arrays" */
  int ts_epoch_any;            /* 1: market->ts holds epoch s, ms, µs or ns, told apart by magnitude as
                                  in files; 0: ms */
  const char* ts_text;         /* NULL, or the times as text, one per row, each ended by '\n' (ISO-8601
                                  or epoch, read as a file's time column); market->ts may then be NULL */
  size_t ts_text_length;       /* bytes of ts_text */
  const char* oi_unit;         /* NULL: the data decides; "base" or "quote": stated (the data must agree) */
  const char* oi_unit_source;  /* what states oi_unit, named in messages and the notice (e.g. "column
                                  name 'oi_usd'"); NULL: the caller, as --oi-unit */
  int drop_bad_rows;           /* 1: drop rows that break a rule (listed in the notices) */
  double warmup_days;          /* days of rows kept before the first open interest; < 0: the config's */
  int has_warmup_until;        /* 1: the rows before warmup_until_ms are the warm-up (as a market read
                                  from files counts them), unless NaN open interest sets it */
  int64_t warmup_until_ms;
} liqmap_load_options;

LIQMAP_API liqmap_load_options liqmap_load_options_default(void);

/* Takes a market from arrays as liqmap_engine_read_market takes one from files, with the same
 * rules and notices: times from 1990 to 2200, each row's rules, rows sorted by time and exact
 * duplicates dropped (noticed), fewer than 2 rows refused, open interest NaN before its first
 * value kept as warm-up (within warmup_days) and carried forward after it, gaps noted, the unit
 * of open interest decided from the data (a stated unit the data contradicts is an error), then
 * the defaults of liqmap_engine_apply_market_defaults. market->oi may hold NaN (missing);
 * market->warmup_rows stands when neither NaN nor has_warmup_until sets it. options may be NULL.
 * In the shared library only. */
LIQMAP_API liqmap_status liqmap_engine_load_market(liqmap_engine* engine, const liqmap_market* market,
                                                   const liqmap_load_options* options);

/* The notices of the last read or defaults, as a JSON object {"notices": [...], "oi_unit":
 * "base"|"quote"|null, "warmup_rows": n, "symbol": the coin's symbol the configuration or the
 * file names gave, or null}. Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_notices(liqmap_engine* engine, char* buffer,
                                                   size_t capacity, size_t* count);

/* A time as the CLI reads --from, --to and manifest times: ISO-8601 (UTC unless it gives an
 * offset) or epoch seconds, ms, µs or ns told apart by size, from 1990 to 2200. Sets *ms (ms
 * since the Unix epoch); LIQMAP_ERROR_INPUT when the text is none of these. */
LIQMAP_API liqmap_status liqmap_parse_time(const char* text, int64_t* ms);

typedef enum liqmap_market_column {
  LIQMAP_COLUMN_OPEN = 0, LIQMAP_COLUMN_HIGH = 1, LIQMAP_COLUMN_LOW = 2, LIQMAP_COLUMN_CLOSE = 3,
  LIQMAP_COLUMN_VOLUME = 4, LIQMAP_COLUMN_OI = 5, LIQMAP_COLUMN_LONG_SHARE = 6
} liqmap_market_column;

/* The engine's market: its timestamps, and one column (count 0 for an absent optional one).
 * Query-size pattern. */
LIQMAP_API liqmap_status liqmap_engine_get_market_ts(liqmap_engine* engine, int64_t* buffer,
                                                     size_t capacity, size_t* count);
LIQMAP_API liqmap_status liqmap_engine_get_market_column(liqmap_engine* engine,
                                                         liqmap_market_column column,
                                                         double* buffer, size_t capacity,
                                                         size_t* count);

/* A grid as liqmap_engine_get_grid gives it, converted to float (half the memory). */
LIQMAP_API liqmap_status liqmap_engine_get_grid_f32(liqmap_engine* engine, liqmap_grid_side side,
                                                    liqmap_grid_stage stage, float* buffer,
                                                    size_t capacity, size_t* count);

/* As liqmap_engine_compute over the whole market (or the venues), then keeps the bars from
 * *from_ms to *to_ms (NULL: open) as the result, as `liqmap compute --from --to`: earlier bars
 * still open positions, and a price range the configuration leaves open is fitted to the window.
 * The result's getters, clusters and outputs then describe the window. */
LIQMAP_API liqmap_status liqmap_engine_compute_window(liqmap_engine* engine,
                                                      const liqmap_run_options* options,
                                                      const int64_t* from_ms,
                                                      const int64_t* to_ms);

typedef struct liqmap_output_options {
  size_t size;            /* set to sizeof(liqmap_output_options) */
  const char* outputs;    /* NULL or "all", or a comma list of png, review, clusters, npy, html */
  const char* grid_type;  /* NULL or "float32", or "float16" */
  int has_at;             /* 1: clusters and review at the last column at or before at_ts */
  int64_t at_ts;          /* ms */
} liqmap_output_options;

LIQMAP_API liqmap_output_options liqmap_output_options_default(void);

/* Writes the CLI's output files of the last result into `dir` (replaced as a whole when all are
 * written, as `liqmap compute --out`). options may be NULL. */
LIQMAP_API liqmap_status liqmap_engine_write_outputs(liqmap_engine* engine, const char* dir,
                                                     const liqmap_output_options* options);

/* The bytes of one output file of the last result ("clusters.json", "review.md", "tracks.csv",
 * "prices.csv", "heatmap.html", "heatmap.png", "liquidation_map.csv", ...; for several venues
 * also "venues/NAME/..."; not the .npy grids), as write_outputs would write it, plus a NUL. Query-size pattern (each
 * call builds the file anew). */
LIQMAP_API liqmap_status liqmap_engine_get_output(liqmap_engine* engine, const char* name,
                                                  const liqmap_output_options* options,
                                                  char* buffer, size_t capacity, size_t* count);

/* One row of a `liqmap batch` manifest (JSON text: market, oi, config, from, to, out, outputs,
 * ... as batch_row_keys() lists them; relative paths from `base_dir`, NULL: the current folder)
 * run as `liqmap batch` runs it: the map is computed with options (may be NULL) and written into
 * the row's `out` folder, and the engine keeps it as its result (clusters, grids, R), with the
 * row's drawn market and configuration as its market and configuration. What a Dask task runs. */
LIQMAP_API liqmap_status liqmap_engine_run_row(liqmap_engine* engine, const char* row_json, const char* base_dir,
                                               const liqmap_run_options* options);

/* ---- Live: appending bars (docs/model.md section 10) ---------------------------------------- */

/* Appends bars after the engine's market and makes the result the live map of all of them.
 * `rows` holds only the new bars, with the market's columns; they are read as
 * liqmap_engine_load_market reads arrays (`options` may be NULL), in the market's unit of open
 * interest. The first append keeps the model of the market so far (one full compute, with the
 * price range, fixed-point unit and OI spreading interval pinned to it); each later append costs
 * the new bars only. Bars after the last open-interest change are shown provisionally until the
 * next change closes their interval. provisional != 0: the last bar is still forming; the next
 * append replaces it. Setting a market or a configuration, or computing, ends the live map.
 * The result equals liqmap_engine_compute of the whole market under the pinned configuration
 * (liqmap_engine_get_config after the first append). */
LIQMAP_API liqmap_status liqmap_engine_append(liqmap_engine* engine, const liqmap_market* rows,
                                              const liqmap_load_options* options, int provisional,
                                              const liqmap_run_options* run);

/* ---- Backtest and cascade (docs/backtest.md) ------------------------------------------------ */

/* Do clusters act as magnets? The backtest of `liqmap backtest` on the engine's result and
 * market: at evaluation times t, the largest significant cluster within the distance band races
 * its mirror level, against random, momentum and always-down controls. */
typedef struct liqmap_backtest_options {
  size_t size;                   /* set to sizeof(liqmap_backtest_options) */
  double min_distance_pct;       /* 1: nearest cluster considered, % from the close */
  double max_distance_pct;       /* 5 */
  const int64_t* horizons_ms;    /* NULL: 4 h, 24 h, 72 h, 1 week */
  size_t horizon_count;
  int64_t every_ms;              /* 0: each horizon (windows do not overlap); shorter: block bootstrap */
  size_t reverse_bars;           /* 3: sweep and reverse closes back within this many bars */
  int64_t momentum_lookback_ms;  /* 0: the horizon */
  int bootstrap_draws;           /* 1000 */
  uint64_t seed;                 /* 1: the random control's Philox key and the bootstrap's seed */
} liqmap_backtest_options;

LIQMAP_API liqmap_backtest_options liqmap_backtest_options_default(void);

/* Runs the backtest (options may be NULL: the defaults) and writes backtest.json's text,
 * NUL-terminated. Query-size pattern: each call runs it again, so pass a large buffer. */
LIQMAP_API liqmap_status liqmap_engine_backtest(liqmap_engine* engine, const liqmap_backtest_options* options,
                                                char* buffer, size_t capacity, size_t* count);

/* How far a shock carries once the liquidations it reaches add forced flow: price moves by
 * log(p / shocked) = -+ impact_y * sigma_daily * sqrt(Q / volume_daily_usd), Q the notional
 * liquidated so far, until no new bin is reached. Plain arrays: any profile, e.g. one column of
 * liqmap_engine_get_grid. */
typedef struct liqmap_cascade_inputs {
  size_t size;               /* set to sizeof(liqmap_cascade_inputs) */
  const double* price;       /* bins: bin centres, increasing */
  const double* long_usd;    /* longs liquidated in each bin */
  const double* short_usd;   /* shorts liquidated in each bin */
  size_t bins;
  double start_price, shocked_price;
  double sigma_daily;        /* daily volatility (fraction) */
  double volume_daily_usd;   /* daily traded notional */
  double impact_y;           /* 1 is the documented default */
} liqmap_cascade_inputs;

typedef struct liqmap_cascade_step {
  size_t iteration;          /* 0: the shock itself */
  double price;
  double flow_usd;           /* newly liquidated in this round */
  double liquidated_usd;     /* cumulative */
} liqmap_cascade_step;

typedef struct liqmap_cascade_result {
  size_t size;               /* set to sizeof(liqmap_cascade_result) */
  double final_price;
  double long_usd, short_usd; /* liquidated per side */
  double extra_move_pct;     /* final vs shocked price */
  size_t rounds;
  int converged;
} liqmap_cascade_result;

/* Runs the cascade; `result` may be NULL; the path uses the query-size pattern (path may be NULL). */
LIQMAP_API liqmap_status liqmap_cascade(const liqmap_cascade_inputs* inputs, liqmap_cascade_result* result,
                                        liqmap_cascade_step* path, size_t capacity, size_t* count);

#ifdef __cplusplus
}
#endif

#endif /* LIQMAP_H */
