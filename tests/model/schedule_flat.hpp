// A schedule flattened the way the plan flattens it, and the full path a synthetic position
// takes through it (leverage cap, bracket rule, formula): the margin tests share it.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "liqmap/schedule.hpp"
#include "model_math.hpp"

namespace liqmap::testing {

struct Flat {
  std::vector<model::BracketRow> rows;
  model::ExchangeParams ex{};
};

inline Flat flatten(const Schedule& s) {
  Flat f;
  for (const auto& b : s.brackets) f.rows.push_back({b.floor, b.cap, b.max_leverage, b.mmr, b.cum});
  f.ex.first_bracket = 0;
  f.ex.bracket_count = static_cast<int>(f.rows.size());
  f.ex.inverse = s.contract == ContractType::inverse;
  f.ex.entry_basis = s.basis == MarginBasis::entry;
  f.ex.unit_base = s.unit == NotionalUnit::base;
  f.ex.fee_rate = s.fee_rate;
  f.ex.share = 1;
  return f;
}

inline double position_price(const Flat& f, int side, double entry, double leverage, double notional) {
  const double capped = model::capped_leverage(f.rows.data(), f.ex, entry, notional, leverage);
  return model::liquidation_price(f.rows.data(), f.ex, side, entry, capped, notional);
}

// A worked example: a schedule, a position and its two liquidation prices (long, short).
struct WorkedExample {
  const char* schedule;
  double entry, leverage, notional, long_price, short_price;
};

// Both sides to the cent.
inline void expect_worked_example(const WorkedExample& v) {
  const Flat f = flatten(load_schedule(v.schedule));
  EXPECT_NEAR(position_price(f, model::kLong, v.entry, v.leverage, v.notional), v.long_price, 0.005) << v.schedule;
  EXPECT_NEAR(position_price(f, model::kShort, v.entry, v.leverage, v.notional), v.short_price, 0.005) << v.schedule;
}

}  // namespace liqmap::testing
