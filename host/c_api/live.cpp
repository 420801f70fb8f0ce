// liqmap_engine_append: the engine as a live map (docs/model.md section 10). The first append
// keeps the model of the market computed so far; each later one costs the new bars.
#include <string>

#include "app/map_job.hpp"
#include "boundary.hpp"
#include "engine_state.hpp"
#include "live/live_model.hpp"
#include "live/live_state.hpp"
#include "market_arrays.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

extern "C" {

liqmap_status liqmap_engine_append(liqmap_engine* engine, const liqmap_market* rows, const liqmap_load_options* options,
                                   int provisional, const liqmap_run_options* run) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require(!e.computing, "the engine is computing and cannot append until liqmap_engine_compute returns");
    if (!e.market) throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: set one (and compute) before appending to it");
    require(e.venues.empty(), "a live engine follows one market: several venues are not supported yet");
    const RunOptions run_options = run_options_of(e, run);
    // The new bars, read as the market was (its unit of open interest).
    const std::optional<OiUnit> unit = e.market->has_oi() ? std::optional<OiUnit>(e.config.flow.oi_unit) : std::nullopt;
    io::MarketData data = read_market_arrays(e, rows, options, unit, true);
    const Market& fresh = data.market;
    Market market = *e.market;
    if (e.live_provisional) market = live::market_head(market, market.size() - 1);  // replaced by what comes now
    require(fresh.has_volume() == market.has_volume() && fresh.has_oi() == market.has_oi() &&
                fresh.has_long_share() == market.has_long_share(),
            "the appended bars have other columns than the market (volume, oi, long_share must match)");
    require(fresh.warmup_rows == 0, "the appended bars must all have open interest (no warm-up)");
    require(fresh.ts.front() > market.ts.back(),
            "the appended bars start at ts " + std::to_string(fresh.ts.front()) + ", not after the market's last bar (" +
                std::to_string(market.ts.back()) + ")");
    for (auto [to, from] : {std::pair{&market.open, &fresh.open}, {&market.high, &fresh.high}, {&market.low, &fresh.low},
                            {&market.close, &fresh.close}, {&market.volume, &fresh.volume}, {&market.oi, &fresh.oi},
                            {&market.long_share, &fresh.long_share}})
      to->insert(to->end(), from->begin(), from->end());
    market.ts.insert(market.ts.end(), fresh.ts.begin(), fresh.ts.end());
    validate_market(market);

    const ComputingScope computing(e);
    if (!e.live) {  // the market so far, once, pinned (live_config)
      std::size_t committed = 0;
      e.live = live::start_model(*e.market, e.config, run_options, committed);
    }
    live::LiveModel& model = *e.live;
    const std::vector<live::StepInput> pending = live::advance(model, market, provisional ? market.size() - 1 : market.size());
    app::MapMarkets markets;
    markets.market = market;
    markets.notices = std::move(data.notices);
    e.clusters.reset();
    e.run = live::map_run(model, pending, std::move(markets), run_options, {}, 0.0);
    e.market = std::move(market);
    e.live_provisional = provisional != 0;
  });
}

}  // extern "C"
