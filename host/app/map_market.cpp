#include "app/map_market.hpp"

#include <utility>

namespace liqmap::app {

std::vector<std::string> apply_market_defaults(Config& config, const Market& market, std::optional<OiUnit> oi_unit) {
  std::vector<std::string> notices;
  if (oi_unit) config.flow.oi_unit = *oi_unit;
  const bool volume_flow = config.flow.source == FlowSource::volume ||
                           (config.flow.source == FlowSource::automatic && !market.has_oi());
  if (volume_flow && !config.flow.half_life_hours) {
    config.flow.half_life_hours = kVolumeFlowHalfLifeHours;
    notices.push_back("positions opened from volume decay with a half-life of 7 d (168 h), the default for candles "
                      "without open interest; flow.half_life_hours in a --config sets another");
  }
  for (std::string& notice : leverage_cap_notices(config)) notices.push_back(std::move(notice));
  return notices;
}

io::MarketData read_map_market(const std::vector<std::string>& market_patterns,
                               const std::vector<std::string>& oi_patterns, io::ReadOptions read, Config& config) {
  if (!read.warmup_days) read.warmup_days = config.flow.warmup_days;
  const std::vector<std::string> market_paths = io::expand_paths(market_patterns);
  const std::vector<std::string> oi_paths = io::expand_paths(oi_patterns);
  std::vector<std::string> all_paths = market_paths;
  all_paths.insert(all_paths.end(), oi_paths.begin(), oi_paths.end());
  // The coin the config or the file names say picks the schedules, as in `liqmap compute`: the
  // file names' coin checked first, the contract type once the data's layout is known.
  io::require_matching_assets(all_paths, config);
  io::MarketData data = io::read_market(market_paths, oi_paths, read);
  std::vector<std::string> schedule_notices = io::choose_schedules(all_paths, config, data.coin_margined);
  data.notices.insert(data.notices.begin(), schedule_notices.begin(), schedule_notices.end());
  for (std::string& notice : apply_market_defaults(config, data.market, data.oi_unit))
    data.notices.push_back(std::move(notice));
  return data;
}

}  // namespace liqmap::app
