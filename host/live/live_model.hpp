// The model kept alive between candles (docs/model.md, "Live"): the flow's book and survival,
// every synthetic position not yet liquidated (two heaps by liquidation price), each price
// row's recurrence state and the map's columns so far. Appending a candle costs the new
// positions, the liquidated ones and one pass over the price bins, whatever the history's
// length; the result is the one a full compute of the same data and config gives, bit for bit
// on the integer sums and R (the same forward step, draws and fixed-point units).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <vector>

#include "engine/backend.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "liqmap/result.hpp"
#include "model/flow.hpp"
#include "model/plan.hpp"

namespace liqmap::live {

// One candle as the model takes it: its open interest final and in USD (spread over its
// interval as flow.spread_oi says; 0 without the open-interest flow).
struct StepInput {
  std::int64_t ts = 0;
  double open = 0, high = 0, low = 0, close = 0;
  double volume = 0;  // 0 when the market has none
  double oi_usd = 0;
  double long_share = 0.5;
};

// A synthetic position alive after the last committed step.
struct AlivePosition {
  double price;          // liquidation price, > 0
  std::int32_t t0;       // opening step
  std::int32_t bin;      // price bin, -1 outside the axis (it still counts in R when liquidated)
  std::int16_t tier;
  std::int16_t exchange;
};

// Longs leave first from the highest liquidation price, shorts from the lowest.
struct AliveHeaps {
  std::vector<AlivePosition> side[2];
};

// Every row of `market` as the model takes it under `config` (the OI spread over its intervals
// and in USD, as the full compute's flow inputs have it).
std::vector<StepInput> step_inputs(const Market& market, const Config& config);

// `config` with what a full compute derives from the whole series pinned to `market`'s values
// (the price range, the OI spreading interval), so that appended candles keep them. compute()
// pins the fixed-point units too: a full compute with the state's config() gives the live map.
Config live_config(const Market& market, Config config);

// The map's finished columns, [column][side * bins + bin], in blocks: a new column never moves
// the ones before it (a single array would copy the whole history when it grows).
class ColumnStore {
 public:
  static constexpr std::size_t kBlockColumns = 256;
  void reset(std::size_t rows) { rows_ = rows, blocks_.clear(), columns_ = 0; }
  std::size_t columns() const { return columns_; }
  std::size_t rows() const { return rows_; }
  double at(std::size_t column, std::size_t row) const {
    return blocks_[column / kBlockColumns][(column % kBlockColumns) * rows_ + row];
  }
  void push(const double* column);
  void truncate(std::size_t columns);
  std::vector<double> flat() const;             // for the state file
  void assign(std::size_t rows, const std::vector<double>& flat);

 private:
  std::size_t rows_ = 0, columns_ = 0;
  std::vector<std::vector<double>> blocks_;
};

// How many leading rows of `market` are final (docs/model.md section 10): up to its last OI
// change with the open-interest flow, all of them without.
std::size_t committable_rows(const Market& market, const Config& config);

// The first `rows` rows of `market` (its warm-up kept).
Market market_head(const Market& market, std::size_t rows);

class LiveModel {
 public:
  // The full compute of `market` under `config` (pinned, see live_config), kept as a state.
  // The CPU backend computes it on options.threads (the integer deltas are the same on every
  // backend); options.progress sees it and may cancel.
  static LiveModel compute(const Market& market, const Config& config, const RunOptions& options);
  // (start_model below pins the config and computes the committable rows.)

  std::int64_t steps() const { return std::int64_t(ts_.size()); }
  std::int64_t last_ts() const { return ts_.back(); }
  const Config& config() const { return config_; }
  std::size_t alive_positions() const { return heaps_.side[0].size() + heaps_.side[1].size(); }
  bool has_volume() const { return has_volume_; }
  bool oi_flow() const { return oi_flow_; }

  // The first committed candle that `rows` (all of the market's, step_inputs) give otherwise.
  std::optional<std::size_t> first_difference(const std::vector<StepInput>& rows) const;

  // Commits one candle (after the last one).
  void append(const StepInput& step);

  // The same candles shown without committing them: the result after `steps` (the forming
  // candle, an open-interest interval still open), the state unchanged afterwards.
  Result provisional_result(const std::vector<StepInput>& steps, int threads, detail::Plan* plan);

  // compute()'s Result of everything committed, and the plan the liquidation map reads.
  Result result(int threads, detail::Plan* plan = nullptr) const;

  void save(std::ostream& out) const;
  static LiveModel load(std::istream& in, const std::string& origin);

 private:
  struct Checkpoint;
  void step(const StepInput& input, AliveHeaps& heaps);
  Checkpoint checkpoint() const;
  void rollback(const Checkpoint& point);
  detail::Plan plan_now() const;

  Config config_;
  bool oi_flow_ = false, has_volume_ = false;
  std::vector<std::int64_t> ts_;
  detail::Plan plan_;              // axes, positions' parameters and the candles' arrays
  detail::FlowInputs flow_in_;     // per step: OI (USD), traded notional, decay, long share
  detail::FlowSolution flow_;      // per step: N_t, g_t, book, liquidated
  detail::SurvivalTrack survival_;
  std::vector<std::int64_t> liquidated_fixed_[2];
  model::ScatterTotals totals_;
  double opened_total_ = 0;
  bool survival_constant_ = true;  // every g_t so far is 1
  AliveHeaps heaps_;
  // [side * bins + bin]: H after the last step, and the integer running sum of the deltas.
  std::vector<double> h_;
  std::vector<std::int64_t> running_;
  // Finished columns (their group complete), column-major [column][side * bins + bin]; while
  // survival is constant also the float recurrence's, in case a later g_t is not 1.
  ColumnStore columns_, columns_h_;
  // Scratch of step(): one candle's deltas, its liquidated and new positions, its table entries.
  struct Gone {
    AlivePosition p;
    int side;
  };
  struct Fresh {
    AlivePosition p;
    int side;
    bool same_bar;
  };
  std::vector<Gone> gone_;
  std::vector<Fresh> fresh_;
  std::vector<detail::LiquidationTable::Entry> entries_;
  std::vector<std::int64_t> delta_;
  std::vector<double> column_;        // scratch: one column
};

// A live model of `market`: `config` pinned (live_config), the rows whose inputs are final
// computed (`committed` of them); show the rest with advance(model, market, committed).
LiveModel start_model(const Market& market, const Config& config, const RunOptions& options, std::size_t& committed);

// Commits the rows of `market` after the model's whose inputs are final, at most `most` rows in
// all (a forming candle kept out), after checking that the committed ones are unchanged; returns
// the rest, to be shown provisionally. Throws Error(input) naming the first changed candle.
std::vector<StepInput> advance(LiveModel& model, const Market& market, std::size_t most);

}  // namespace liqmap::live
