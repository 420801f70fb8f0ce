// The rows a live model takes, and the columns it keeps: what stands between a market (files,
// arrays) and the model's steps.
#include <algorithm>

#include "live/live_model.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::live {

std::vector<StepInput> step_inputs(const Market& market, const Config& config) {
  const std::size_t steps = market.size();
  const std::size_t warmup = std::min(market.warmup_rows, steps - 1);
  const std::vector<double> oi = !market.has_oi() ? std::vector<double>(steps, 0.0)
                                 : config.flow.spread_oi
                                     ? detail::spread_oi_changes(market.oi, market.volume, warmup,
                                                                 config.flow.oi_interval_steps.value_or(0))
                                     : market.oi;
  std::vector<StepInput> out(steps);
  for (std::size_t t = 0; t < steps; ++t) {
    StepInput& s = out[t];
    s.ts = market.ts[t];
    s.open = market.open[t], s.high = market.high[t], s.low = market.low[t], s.close = market.close[t];
    s.volume = market.has_volume() ? market.volume[t] : 0.0;
    const std::size_t known = std::max(t, warmup);  // as flow_inputs reads it
    s.oi_usd = oi[known] * (config.flow.oi_unit == OiUnit::base ? market.close[known] : 1.0);
    s.long_share = market.has_long_share() ? market.long_share[t] : config.long_share;
  }
  return out;
}

namespace {

bool uses_oi_flow(const Market& market, const Config& config) {
  return config.flow.source == FlowSource::oi || (config.flow.source == FlowSource::automatic && market.has_oi());
}

// Candles whose open interest is final: up to the last OI change (the next change may still
// spread over the candles after it, and a later value may still be joined to them). Without
// the open-interest flow every candle is.
}  // namespace

std::size_t committable_rows(const Market& market, const Config& config) {
  if (!uses_oi_flow(market, config) || !market.has_oi()) return market.size();
  std::size_t last_change = std::min(market.warmup_rows, market.size() - 1);
  for (std::size_t j = last_change + 1; j < market.size(); ++j)
    if (market.oi[j] != market.oi[j - 1]) last_change = j;
  return last_change + 1;
}

Market market_head(const Market& m, std::size_t n) {
  Market h = m;
  for (auto* v : {&h.open, &h.high, &h.low, &h.close, &h.volume, &h.oi, &h.long_share})
    if (!v->empty()) v->resize(n);
  h.ts.resize(n);
  h.warmup_rows = std::min(h.warmup_rows, n);
  return h;
}

Config live_config(const Market& market, Config config) {
  if (market.size() == 0) throw Error(ErrorCode::input, "the market has no rows");
  const double lowest = *std::min_element(market.low.begin(), market.low.end());
  const double highest = *std::max_element(market.high.begin(), market.high.end());
  if (!config.grid.price_min) config.grid.price_min = lowest * (1.0 - config.grid.range_margin);
  if (!config.grid.price_max) config.grid.price_max = highest * (1.0 + config.grid.range_margin);
  if (market.has_oi() && config.flow.spread_oi && !config.flow.oi_interval_steps) {
    const std::size_t warmup = std::min(market.warmup_rows, market.size() - 1);
    const std::size_t interval = detail::oi_change_interval(market.oi, warmup);
    config.flow.oi_interval_steps = int(std::min<std::size_t>(interval, (1u << 31) - 1));
  }
  return config;
}

void ColumnStore::push(const double* column) {
  if (columns_ % kBlockColumns == 0) {
    blocks_.emplace_back();
    blocks_.back().reserve(kBlockColumns * rows_);
  }
  blocks_.back().insert(blocks_.back().end(), column, column + rows_);
  ++columns_;
}

void ColumnStore::truncate(std::size_t columns) {
  if (columns >= columns_) return;
  blocks_.resize((columns + kBlockColumns - 1) / kBlockColumns);
  if (!blocks_.empty()) blocks_.back().resize((columns - (blocks_.size() - 1) * kBlockColumns) * rows_);
  columns_ = columns;
}

std::vector<double> ColumnStore::flat() const {
  std::vector<double> out;
  out.reserve(columns_ * rows_);
  for (const auto& block : blocks_) out.insert(out.end(), block.begin(), block.end());
  return out;
}

void ColumnStore::assign(std::size_t rows, const std::vector<double>& flat) {
  reset(rows);
  for (std::size_t c = 0; rows > 0 && c < flat.size() / rows; ++c) push(flat.data() + c * rows);
}

LiveModel start_model(const Market& market, const Config& config, const RunOptions& options, std::size_t& committed) {
  const Config pinned = live_config(market, config);
  committed = committable_rows(market, pinned);
  return LiveModel::compute(market_head(market, committed), pinned, options);
}

std::vector<StepInput> advance(LiveModel& model, const Market& market, std::size_t most) {
  const std::vector<StepInput> rows = step_inputs(market, model.config());
  if (const auto changed = model.first_difference(rows))
    throw Error(ErrorCode::input, "the new data changes the committed candle at " +
                                      io::format_timestamp(rows[*changed].ts) +
                                      " (its prices or its open interest): a live map only takes what comes after; "
                                      "compute it again");
  const std::size_t committed = std::size_t(model.steps());
  const std::size_t ready = std::max(std::min(committable_rows(market, model.config()), most), committed);
  for (std::size_t t = committed; t < ready; ++t) model.append(rows[t]);
  return {rows.begin() + std::int64_t(ready), rows.end()};
}

}  // namespace liqmap::live
