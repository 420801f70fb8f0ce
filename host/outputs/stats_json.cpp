// The run statistics as JSON, apart from the output writers so that the C API can hand them out
// without linking the writers (and the PNG renderer behind them).
#include "outputs/outputs.hpp"

namespace liqmap::detail {

nlohmann::json stats_json(const RunStats& s) {
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& st : s.stages) stages[st.stage] = st.seconds;
  return {{"positions_drawn", s.positions_drawn},
          {"positions_in_range", s.positions_in_range},
          {"positions_out_of_range", s.positions_out_of_range},
          {"positions_unliquidatable", s.positions_unliquidatable},
          {"positions_liquidated", s.positions_liquidated},
          {"opened_usd", s.opened_usd},
          {"in_range_usd", s.in_range_usd},
          {"out_of_range_usd", s.out_of_range_usd},
          {"unliquidatable_usd", s.unliquidatable_usd},
          {"liquidated_usd", s.liquidated_usd},
          {"flow_source", s.flow_source},
          {"backend", s.backend},
          {"backend_note", s.backend_note},
          {"threads", s.threads},
          {"stage_seconds", stages},
          {"total_seconds", s.total_seconds}};
}

}  // namespace liqmap::detail
