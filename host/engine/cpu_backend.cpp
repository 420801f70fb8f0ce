// The CPU backend: OpenMP threads over blocks of opening steps (scatter, integer sums, so the
// result does not depend on thread count or order), over price rows (recurrence, four at a
// time) and over rows again (smoothing). The stages are the device pipeline's, in the host's [side][bin][step] layout.
// Big buffers are left uninitialised and first written by the threads of the stage that fills
// them, so the pages are mapped in parallel and no grid is zeroed only to be overwritten.
#include <algorithm>
#include <atomic>
#include <omp.h>

#include "engine/backend.hpp"
#include "engine/smoothing.hpp"
#include "first_passage_records.hpp"
#include "gaussian.hpp"
#include "tier_column.hpp"

namespace liqmap::detail {
namespace {

using DeltaValues = std::vector<std::int64_t, GridAllocator<std::int64_t>>;

// One thread's adds while it scatters one step: +w summed per cell of that step (a step's
// positions land on far fewer cells than there are positions), then added to the grid once per cell;
// R into the thread's own array. The -w adds go straight to the grid, with atomics.
// Past kMostGatheredBins the per-thread buffers (9 bytes a cell) would be large: +w goes straight
// to the grid.
class StepSink {
 public:
  static constexpr int kMostGatheredBins = 1 << 21;
  StepSink(std::int64_t* delta, std::int64_t steps, int bins)
      : delta_(delta), steps_(steps), gather_(bins <= kMostGatheredBins),
        opened_(gather_ ? 2 * std::size_t(bins) : 0, 0), seen_(opened_.size(), 0) {}

  void opened(int side, int bin, std::int64_t* target, std::int64_t value) const {
    if (!gather_) return model::atomic_add(target, value);
    const std::size_t cell = std::size_t(side) * (opened_.size() / 2) + std::size_t(bin);
    if (!seen_[cell]) seen_[cell] = 1, touched_.push_back(cell);
    opened_[cell] += value;
  }
  void closed(std::int64_t* cell, std::int64_t value) const { model::atomic_add(cell, value); }
  void liquidated(std::int64_t* cell, std::int64_t value) const { *cell += value; }

  // The liquidation map's column at `step` (BackendSettings::tier_column_step), added to this
  // thread's [side][tier][bin] `column` as the positions are drawn (tier_column.hpp).
  void add_tier_column(const model::ScatterInputs& in, std::int64_t step, std::int64_t* column) {
    in_ = &in, column_step_ = step, column_ = column;
  }
  void drawn(int side, int tier, int bin, std::int64_t t0, std::int64_t end, std::int64_t weight_fixed) const {
    if (!column_ || !model::alive_at(t0, end, column_step_)) return;
    if (t0 != survival_t0_) {  // one survival ratio per opening step
      survival_t0_ = t0;
      survival_ = model::survival_ratio(in_->survival_mantissa, in_->survival_exponent, in_->survival_wipes, t0,
                                        column_step_);
    }
    column_[(std::int64_t(side) * in_->tier_count + tier) * in_->bins + bin] +=
        model::carried_units(weight_fixed, survival_);
  }

  // After each step: the gathered +w into column t0 (another thread may be adding -w there).
  void flush(std::int64_t t0) const {
    for (const std::size_t cell : touched_) {
      if (opened_[cell] != 0) model::atomic_add(delta_ + std::int64_t(cell) * steps_ + t0, opened_[cell]);
      opened_[cell] = 0, seen_[cell] = 0;
    }
    touched_.clear();
  }

 private:
  std::int64_t* delta_;
  std::int64_t steps_;
  bool gather_;
  mutable std::vector<std::int64_t> opened_;  // [side][bin]
  mutable std::vector<unsigned char> seen_;
  mutable std::vector<std::size_t> touched_;
  const model::ScatterInputs* in_ = nullptr;
  std::int64_t column_step_ = -1;
  std::int64_t* column_ = nullptr;
  mutable std::int64_t survival_t0_ = -1;
  mutable double survival_ = 0;
};

// Blocks of opening steps handed out dynamically, each walked from its last step down so that
// the first passages come from the records after t0 (first_passage_records.hpp); a block's
// steps are adjacent in each delta row, so its +w adds share cache lines, and no two threads
// work on one step. Thread 0 reports progress between its blocks and the others stop taking
// blocks once it is cancelled. The deltas accumulate: zeroed first.
DeltaValues scatter_deltas(const Plan& plan, const PassageTables& tables, int threads, std::int64_t tier_column_step,
                           const RunControl& control, BackendOutput& out) {
  const std::int64_t rows = 2 * std::int64_t(plan.bins), steps = plan.steps;
  DeltaValues delta(std::size_t(rows * steps));
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t r = 0; r < rows; ++r) std::fill_n(delta.data() + r * steps, steps, 0);
  out.liquidated_fixed.assign(2 * plan.steps, 0);
  const model::ScatterInputs in = scatter_inputs(plan, tables, delta.data(), out.liquidated_fixed.data());
  const std::vector<std::int64_t> active = active_steps(plan);
  const model::RecordLinks links(plan.low.data(), plan.high.data(), plan.steps);
  const std::int64_t count = std::int64_t(active.size()), block = model::kCursorBlockSteps;
  std::atomic<bool> cancelled{false};
  std::atomic<std::int64_t> done{0};
  std::vector<model::ScatterTotals> per_thread(threads);
  const double span = progress_at::survival_recurrence - progress_at::scatter_deltas;

  // R per thread, and the liquidation map's column when asked, added up after (integers).
  std::vector<std::vector<std::int64_t>> liquidated(threads), tier_columns(threads);
  const std::size_t column_cells = 2 * plan.tier_leverage.size() * std::size_t(plan.bins);

#pragma omp parallel num_threads(threads)
  {
    // Counted in the thread's own copy: neighbouring per_thread cells share a cache line, and
    // every position's counts bouncing between the cores made some runs' scatter 2x slower.
    model::ScatterTotals totals;
    std::vector<std::int64_t>& own_liquidated = liquidated[omp_get_thread_num()];
    own_liquidated.assign(2 * plan.steps, 0);
    model::ScatterInputs own = in;
    own.liquidated = own_liquidated.data();
    StepSink sink(delta.data(), steps, plan.bins);
    if (tier_column_step >= 0) {
      tier_columns[omp_get_thread_num()].assign(column_cells, 0);
      sink.add_tier_column(in, tier_column_step, tier_columns[omp_get_thread_num()].data());
    }
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t first = 0; first < count; first += block) {
      if (cancelled.load(std::memory_order_relaxed)) continue;
      const std::int64_t last = std::min(first + block, count);
      model::walk_down(links, first, last, [&](std::int64_t i) { return active[i]; },
                       [&](std::int64_t i, const model::FirstPassageCursor& cursor) {
                         for (std::uint32_t k = 0; k < plan.samples_per_step; ++k)
                           model::scatter_sample(own, active[i], k, totals, model::CursorPassage{&cursor}, sink);
                         sink.flush(active[i]);
                       });
      const std::int64_t finished = done.fetch_add(last - first) + (last - first);
      if (omp_get_thread_num() == 0 &&
          !control.keep_going("scatter_deltas",  // 0.02 + 0.78 rounds above 0.8: capped
                              std::min(progress_at::survival_recurrence,
                                       progress_at::scatter_deltas + span * double(finished) / double(count))))
        cancelled = true;
    }
    per_thread[omp_get_thread_num()] = totals;
  }
  if (cancelled) RunControl::throw_cancelled("scatter_deltas");
  for (const auto& t : per_thread) out.totals.add(t);
  for (const auto& part : liquidated)
    for (std::size_t i = 0; i < part.size(); ++i) out.liquidated_fixed[i] += part[i];
  if (tier_column_step >= 0) {
    out.tier_column.step = tier_column_step;
    out.tier_column.units.assign(column_cells, 0);
    for (const auto& part : tier_columns)
      for (std::size_t i = 0; i < part.size(); ++i) out.tier_column.units[i] += part[i];
  }
  return delta;
}

// Rows (side, bin) four at a time, each streaming its steps (survival_recurrence_rows); the same
// static schedule as the zero-fill, so a thread mostly reads the rows whose pages it mapped.
void survival_recurrence(const Plan& plan, const DeltaValues& delta, int threads, BackendOutput& out) {
  out.raw_long = Grid::uninitialized(plan.bins, plan.columns);
  out.raw_short = Grid::uninitialized(plan.bins, plan.columns);
  const std::int64_t rows = 2 * std::int64_t(plan.bins);
  const model::RecurrenceInputs recurrence = recurrence_inputs(plan);
  constexpr std::int64_t kRows = 4;
  const auto out_row = [&](std::int64_t r) {
    Grid& grid = r < plan.bins ? out.raw_long : out.raw_short;
    return grid.data.data() + (r % plan.bins) * std::int64_t(plan.columns);
  };
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t group = 0; group < (rows + kRows - 1) / kRows; ++group) {
    const std::int64_t first = group * kRows, count = std::min(kRows, rows - first);
    const std::int64_t* in_rows[kRows];
    double* out_rows[kRows];
    for (std::int64_t i = 0; i < count; ++i) {
      in_rows[i] = delta.data() + (first + i) * plan.steps;
      out_rows[i] = out_row(first + i);
    }
    if (count == kRows) {
      model::survival_recurrence_rows<kRows>(recurrence, in_rows, out_rows);
    } else {
      for (std::int64_t i = 0; i < count; ++i) model::survival_recurrence_rows<1>(recurrence, in_rows + i, out_rows + i);
    }
  }
}

// For the tests that compare the deltas of the backends.
std::vector<std::int64_t> copy_delta(const DeltaValues& delta) { return {delta.begin(), delta.end()}; }

}  // namespace

BackendOutput run_cpu_backend(const Plan& plan, const BackendSettings& settings, const RunControl& control) {
  BackendOutput out;
  const int threads = resolve_threads(settings.threads);
  out.threads = threads;
  StageClock clock(out.stages);

  control.checkpoint("passage_tables", progress_at::passage_tables);
  const PassageTables tables = build_passage_tables(plan, threads);
  clock.lap("passage_tables");

  control.checkpoint("scatter_deltas", progress_at::scatter_deltas);
  DeltaValues delta = scatter_deltas(plan, tables, threads, settings.tier_column_step, control, out);
  clock.lap("scatter_deltas");

  control.checkpoint("survival_recurrence", progress_at::survival_recurrence);
  survival_recurrence(plan, delta, threads, out);
  if (settings.keep_delta) out.delta = copy_delta(delta);
  DeltaValues().swap(delta);  // freed before the smoothing's grids
  clock.lap("survival_recurrence");

  control.checkpoint("smooth_price", progress_at::smooth_price);
  if (plan.sigma_price_bins > 0) {
    const std::vector<double> kernel = model::gaussian_kernel(plan.sigma_price_bins);
    out.smooth_long = Grid::uninitialized(plan.bins, plan.columns);
    out.smooth_short = Grid::uninitialized(plan.bins, plan.columns);
    const double half = (progress_at::smooth_time - progress_at::smooth_price) / 2;
    smooth_price_axis(out.raw_long, out.smooth_long, kernel, threads,
                      {&control, "smooth_price", progress_at::smooth_price, progress_at::smooth_price + half});
    smooth_price_axis(out.raw_short, out.smooth_short, kernel, threads,
                      {&control, "smooth_price", progress_at::smooth_price + half, progress_at::smooth_time});
  } else {
    out.smooth_long = out.raw_long;
    out.smooth_short = out.raw_short;
  }
  clock.lap("smooth_price");

  if (plan.sigma_time_steps > 0) {
    control.checkpoint("smooth_time", progress_at::smooth_time);
    const std::vector<double> kernel = model::gaussian_kernel(plan.sigma_time_steps);
    const double half = (progress_at::done - progress_at::smooth_time) / 2;
    for (Grid* side : {&out.smooth_long, &out.smooth_short}) {
      const double from = progress_at::smooth_time + (side == &out.smooth_long ? 0 : half);
      Grid by_time = Grid::uninitialized(plan.bins, plan.columns);
      smooth_time_axis(*side, by_time, kernel, threads, {&control, "smooth_time", from, from + half});
      *side = std::move(by_time);
    }
    clock.lap("smooth_time");
  }
  control.checkpoint("done", progress_at::done);
  return out;
}

}  // namespace liqmap::detail
