// Engine handles: create and free (with a registry of live handles, so a double free is an
// error status instead of heap corruption), configuration, market, compute.
#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

#include "boundary.hpp"
#include "engine_state.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"
#include "app/map_job.hpp"

namespace liqmap::c_api {
namespace {

class HandleRegistry {
 public:
  void add(const liqmap_engine* engine) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.insert(engine);
  }
  bool remove(const liqmap_engine* engine) {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_.erase(engine) == 1;
  }
  bool contains(const liqmap_engine* engine) {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_.count(engine) == 1;
  }

 private:
  std::mutex mutex_;
  std::unordered_set<const liqmap_engine*> live_;
};

HandleRegistry& registry() {
  static HandleRegistry instance;
  return instance;
}

constexpr std::size_t kMostSyntheticSteps = 100'000'000;  // as `liqmap synth --steps`

// A progress callback that frees or changes its own engine would pull the market, the
// configuration or the engine itself from under the running compute: refused. (Another thread
// doing so is not detected: an engine is used by one thread at a time.)
void require_idle(const liqmap_engine& engine, const char* what) {
  if (engine.computing)
    throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT,
                   std::string("the engine is computing (called from its own progress callback?) and cannot be ") +
                       what + " until liqmap_engine_compute returns; return nonzero from the callback to cancel");
}

const char* const not_live =
    "not a live engine (already freed, or not made by liqmap_engine_create)";

std::vector<double> optional_column(const double* values, std::size_t length) {
  return values == nullptr ? std::vector<double>{} : std::vector<double>(values, values + length);
}

Market copy_market(const liqmap_market& in) {
  require(in.length >= 1, "market->length is 0; a market needs at least one step");
  const std::pair<const void*, const char*> required[] = {
      {in.ts, "ts"}, {in.open, "open"}, {in.high, "high"}, {in.low, "low"}, {in.close, "close"}};
  for (const auto& [pointer, name] : required)
    require(pointer != nullptr, std::string("market->") + name + " is NULL; it is required");
  const std::size_t n = in.length;
  Market market;
  market.ts.assign(in.ts, in.ts + n);
  market.open.assign(in.open, in.open + n);
  market.high.assign(in.high, in.high + n);
  market.low.assign(in.low, in.low + n);
  market.close.assign(in.close, in.close + n);
  market.volume = optional_column(in.volume, n);
  market.oi = optional_column(in.oi, n);
  market.long_share = optional_column(in.long_share, n);
  require(in.warmup_rows < n, "market->warmup_rows is " + std::to_string(in.warmup_rows) +
                                  "; it must be less than market->length (" + std::to_string(n) + ")");
  market.warmup_rows = in.warmup_rows;
  return market;
}

Backend to_backend(const liqmap_backend& backend) {  // by reference: no load of an out-of-range enum
  switch (raw_enum(backend)) {
    case LIQMAP_BACKEND_AUTO: return Backend::automatic;
    case LIQMAP_BACKEND_CPU: return Backend::cpu;
    case LIQMAP_BACKEND_CUDA: return Backend::cuda;
  }
  throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT,
                 "backend " + std::to_string(raw_enum(backend)) +
                     " is not one of LIQMAP_BACKEND_AUTO (0), _CPU (1), _CUDA (2)");
}

// The engine's market (or venues, each with the configuration and its own schedule) through
// the map job, as `liqmap compute [--from --to]` runs it.
void compute_job(liqmap_engine& e, const liqmap_run_options* options, std::optional<std::int64_t> from,
                 std::optional<std::int64_t> to) {
  if (!e.market && e.venues.empty())
    throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: call liqmap_engine_set_market (or liqmap_engine_add_venue) first");
  app::MapJob job;
  job.config = e.config;
  job.from = from;
  job.to = to;
  job.from_name = "from_ms";
  job.to_name = "to_ms";
  job.run = run_options_of(e, options);
  app::MapMarkets markets;
  if (e.venues.empty()) markets.market = *e.market;
  for (const liqmap_engine::Venue& v : e.venues) {
    VenueSpec spec;
    spec.name = v.name;
    spec.schedule = v.schedule;
    markets.venues.push_back({v.name, v.market, app::venue_config(e.config, spec)});
  }
  discard_result(e);
  const ComputingScope computing(e);
  e.run = app::compute_map(job, std::move(markets));
}

}  // namespace

RunOptions run_options_of(const liqmap_engine& e, const liqmap_run_options* options) {
  const liqmap_run_options given =
      options == nullptr ? liqmap_run_options_default()
                         : read_versioned(options, liqmap_run_options_default(),
                                          LIQMAP_FIRST_VERSION_SIZE(liqmap_run_options, progress_user_data), "options");
  require(given.threads >= 0 && given.threads <= LIQMAP_MAX_THREADS, "options->threads is " + std::to_string(given.threads) +
                                                                  "; use 0 (all) to " + std::to_string(LIQMAP_MAX_THREADS));
  require_idle(e, "computed again");
  RunOptions run;
  run.backend = to_backend(given.backend);
  run.threads = given.threads;
  if (given.progress != nullptr) {
    run.progress = [callback = given.progress, user_data = given.progress_user_data](double f) {
      return callback(f, user_data) == 0;
    };
  }
  return run;
}

liqmap_engine& checked_engine(liqmap_engine* engine) {
  if (engine == nullptr) throw ApiError(LIQMAP_ERROR_INVALID_HANDLE, "engine is NULL");
  if (!registry().contains(engine)) throw ApiError(LIQMAP_ERROR_INVALID_HANDLE, not_live);
  return *engine;
}

const Result& checked_result(liqmap_engine* engine) {
  const liqmap_engine& e = checked_engine(engine);
  if (!e.run)
    throw ApiError(LIQMAP_ERROR_NO_RESULT,
                   "no result: call liqmap_engine_compute first (setting a market or a "
                   "configuration discards the previous result)");
  return e.run->drawn.result;
}

void discard_result(liqmap_engine& engine) {
  engine.clusters.reset();
  engine.run.reset();
  engine.live.reset();  // a new market, config or compute starts the live map again
  engine.live_provisional = false;
}

}  // namespace liqmap::c_api

using namespace liqmap;
using namespace liqmap::c_api;

extern "C" {

liqmap_status liqmap_engine_create(liqmap_engine** engine) {
  return guarded(__func__, [&] {
    require(engine != nullptr, "engine (the pointer to store the handle in) is NULL");
    *engine = nullptr;
    auto made = std::make_unique<liqmap_engine>();
    registry().add(made.get());
    *engine = made.release();
  });
}

liqmap_status liqmap_engine_free(liqmap_engine* engine) {
  return guarded(__func__, [&] {
    if (engine == nullptr) return;
    if (!registry().contains(engine)) throw ApiError(LIQMAP_ERROR_INVALID_HANDLE, not_live);
    require_idle(*engine, "freed");
    registry().remove(engine);
    delete engine;
  });
}

liqmap_status liqmap_engine_set_config(liqmap_engine* engine, const char* json) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e, "given a new configuration");
    Config config = (json == nullptr || *json == '\0') ? default_config() : parse_config(json);
    e.config = std::move(config);
    discard_result(e);
  });
}

liqmap_status liqmap_engine_get_config(liqmap_engine* engine, char* buffer, size_t capacity,
                                       size_t* count) {
  return guarded(__func__, [&] {
    const liqmap_engine& e = checked_engine(engine);
    copy_string_out(config_to_json(e.live ? e.live->config() : e.config), buffer, capacity, count,
                    "the configuration");
  });
}

liqmap_status liqmap_engine_set_market(liqmap_engine* engine, const liqmap_market* market) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e, "given a new market");
    Market copy = copy_market(read_versioned(
        market, liqmap_market{}, LIQMAP_FIRST_VERSION_SIZE(liqmap_market, long_share), "market"));
    validate_market(copy, RowOrigin{"market arrays (rows from 1)", {}});
    e.market = std::move(copy);
    discard_result(e);
  });
}

liqmap_status liqmap_engine_add_venue(liqmap_engine* engine, const char* name, const char* schedule,
                                      const liqmap_market* market) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e, "given a new venue");
    require(name != nullptr && *name != '\0', "name is NULL or empty; a venue needs a name");
    for (const auto& v : e.venues) require(v.name != name, std::string("a venue named '") + name + "' was already added");
    liqmap_engine::Venue venue;
    venue.name = name;
    if (schedule != nullptr) venue.schedule = load_schedule(schedule);
    venue.market = copy_market(read_versioned(
        market, liqmap_market{}, LIQMAP_FIRST_VERSION_SIZE(liqmap_market, long_share), "market"));
    validate_market(venue.market, RowOrigin{"venue " + venue.name + ": market arrays (rows from 1)", {}});
    e.venues.push_back(std::move(venue));
    discard_result(e);
  });
}

liqmap_status liqmap_engine_clear_venues(liqmap_engine* engine) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e, "cleared of its venues");
    e.venues.clear();
    discard_result(e);
  });
}

liqmap_run_options liqmap_run_options_default(void) {
  liqmap_run_options options{};
  options.size = sizeof options;
  options.backend = LIQMAP_BACKEND_AUTO;
  return options;
}

liqmap_status liqmap_engine_compute(liqmap_engine* engine, const liqmap_run_options* options) {
  return guarded(__func__, [&] { compute_job(checked_engine(engine), options, std::nullopt, std::nullopt); });
}

liqmap_status liqmap_engine_compute_window(liqmap_engine* engine, const liqmap_run_options* options,
                                           const int64_t* from_ms, const int64_t* to_ms) {
  return guarded(__func__, [&] {
    compute_job(checked_engine(engine), options, from_ms ? std::optional<std::int64_t>(*from_ms) : std::nullopt,
                to_ms ? std::optional<std::int64_t>(*to_ms) : std::nullopt);
  });
}

liqmap_status liqmap_synthetic_market(size_t steps, uint64_t seed, int64_t* ts, double* open,
                                      double* high, double* low, double* close, double* volume,
                                      double* oi) {
  return guarded(__func__, [&] {
    require(steps >= 2 && steps <= kMostSyntheticSteps,
            "steps is " + std::to_string(steps) + "; the synthetic market takes 2 to " +
                std::to_string(kMostSyntheticSteps) + " steps");
    require(ts && open && high && low && close, "ts, open, high, low and close must not be NULL");
    SyntheticOptions options;
    options.steps = steps;
    options.seed = seed;
    const Market m = synthetic_market(options);
    std::copy(m.ts.begin(), m.ts.end(), ts);
    std::copy(m.open.begin(), m.open.end(), open);
    std::copy(m.high.begin(), m.high.end(), high);
    std::copy(m.low.begin(), m.low.end(), low);
    std::copy(m.close.begin(), m.close.end(), close);
    if (volume != nullptr) std::copy(m.volume.begin(), m.volume.end(), volume);
    if (oi != nullptr) std::copy(m.oi.begin(), m.oi.end(), oi);
  });
}

liqmap_status liqmap_demo_config(char* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    copy_string_out(config_to_json(demo_config()), buffer, capacity, count, "the demo configuration");
  });
}

liqmap_status liqmap_get_backend_info(liqmap_backend_info* info) {
  return guarded(__func__, [&] {
    const BackendInfo engine_info = backend_info();
    liqmap_backend_info out{};
    out.cuda_compiled = engine_info.cuda_compiled ? 1 : 0;
    out.cuda_usable = engine_info.cuda_usable ? 1 : 0;
    engine_info.cuda_reason.copy(out.cuda_reason, sizeof out.cuda_reason - 1);
    write_versioned(info, out, LIQMAP_FIRST_VERSION_SIZE(liqmap_backend_info, cuda_reason),
                    "info");
  });
}

}  // extern "C"
