// liqmap_engine_compute_window: `liqmap compute --from --to` through the C API, with the CLI's
// own window functions (cli/window.cpp, compiled in here too).
#include <optional>
#include <utility>

#include "boundary.hpp"
#include "cli/window.hpp"
#include "engine_state.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

extern "C" {

liqmap_status liqmap_engine_compute_window(liqmap_engine* engine, const liqmap_run_options* options,
                                           const int64_t* from_ms, const int64_t* to_ms) {
  cli::StepRange window;
  Config whole;  // the configuration as the caller set it, restored after the run
  liqmap_status status = guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    if (!e.market) throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: set or read one first");
    require(!e.computing, "the engine is computing");
    discard_result(e);  // as liqmap_engine_compute: after a failure there is no result
    const std::optional<std::int64_t> from = from_ms ? std::optional<std::int64_t>(*from_ms) : std::nullopt;
    const std::optional<std::int64_t> to = to_ms ? std::optional<std::int64_t>(*to_ms) : std::nullopt;
    window = cli::steps_in_window(*e.market, from, to, "from_ms", "to_ms");
    Config fitted = e.config;
    cli::fit_price_range(fitted, *e.market, window);
    whole = std::exchange(e.config, std::move(fitted));
  });
  if (status != LIQMAP_OK) return status;
  status = liqmap_engine_compute(engine, options);  // sets the last error itself on failure
  Config fitted = std::exchange(engine->config, std::move(whole));
  if (status != LIQMAP_OK) return status;
  return guarded(__func__, [&] {
    liqmap_engine& e = *engine;
    e.result = cli::crop_result(*e.result, window);
    e.drawn_market = cli::crop_market(*e.market, window);
    e.drawn_config = std::move(fitted);
    e.clusters.reset();
  });
}

}  // extern "C"
