// cascade.json: the path, liquidated notional per side, the final price and the impact law used.
#include "cascade/cascade.hpp"

namespace liqmap::cascade {

nlohmann::json cascade_json(const Inputs& in, const Outcome& out, const nlohmann::json& context) {
  nlohmann::json path = nlohmann::json::array();
  for (const Step& s : out.path)
    path.push_back({{"iteration", s.iteration}, {"price", s.price}, {"flow_usd", s.flow_usd}, {"liquidated_usd", s.liquidated_usd}});
  return {{"context", context},
          {"start_price", in.start_price},
          {"shocked_price", in.shocked_price},
          {"final_price", out.final_price},
          {"extra_move_pct", out.extra_move_pct},
          {"liquidated_long_usd", out.long_usd},
          {"liquidated_short_usd", out.short_usd},
          {"rounds", out.path.size() - 1},
          {"converged", out.converged},
          {"impact", {{"law", "log(p / p_shocked) = -+ Y * sigma_daily * sqrt(Q / V_daily)"},
                      {"Y", in.impact_y},
                      {"sigma_daily", in.sigma_daily},
                      {"volume_daily_usd", in.volume_daily_usd}}},
          {"path", path}};
}

}  // namespace liqmap::cascade
