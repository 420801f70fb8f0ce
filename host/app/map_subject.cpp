#include "app/map_subject.hpp"

#include <cctype>
#include <cmath>

namespace liqmap::app {
namespace {

// "Binance", "Binance inverse" (COIN-M): the schedule's exchange and, for an inverse contract, so.
std::string exchange_label(const ExchangeShare& e) {
  const std::string name = e.schedule.exchange.empty() ? e.name : e.schedule.exchange;
  return e.schedule.contract == ContractType::inverse ? name + " inverse" : name;
}

std::string brackets_of(const ExchangeShare& e) {
  return exchange_label(e) + "'s margin brackets" + (e.schedule.name.empty() ? "" : " (" + e.schedule.name + ")");
}

}  // namespace

std::string market_subject(const Config& config) {
  if (config.exchanges.size() == 1) return "the market's open interest on " + brackets_of(config.exchanges.front());
  double total = 0;
  for (const ExchangeShare& e : config.exchanges) total += e.share;
  std::string parts;
  for (const ExchangeShare& e : config.exchanges) {
    const long percent = std::lround(100 * e.share / (total > 0 ? total : 1));
    parts += (parts.empty() ? "" : ", ") + exchange_label(e) + " " + std::to_string(percent) + "%";
  }
  return "the market's open interest shared out " + parts + ", each on its margin brackets";
}

std::string venue_subject(const std::string& venue, const Config& venue_config) {
  const std::string own = venue + "'s own candles and open interest";
  if (venue_config.exchanges.empty()) return own;
  return own + " on " + brackets_of(venue_config.exchanges.front());
}

std::string aggregate_subject(const std::vector<std::string>& venues) {
  std::string names;
  for (const std::string& v : venues) names += (names.empty() ? "" : " + ") + v;
  return "the sum of " + std::to_string(venues.size()) + " venues (" + names +
         "), each its own open interest on its own margin brackets";
}

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace liqmap::app
