// The venues' shared time axis and price axis.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

#include "liqmap/error.hpp"
#include "venues/venues.hpp"

namespace liqmap::venues {
namespace {

constexpr std::size_t kGapsNamed = 5;

// ISO-8601 UTC, as the readers write times (this layer sits below io/).
std::string utc(std::int64_t ms) {
  const std::time_t seconds = std::time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

struct Gap {
  std::int64_t first_ts, last_ts;
  std::size_t bars;
};

std::string describe_gaps(const std::vector<Gap>& gaps) {
  std::ostringstream text;
  for (std::size_t i = 0; i < gaps.size() && i < kGapsNamed; ++i) {
    const Gap& g = gaps[i];
    text << (i ? ", " : "") << utc(g.first_ts);
    if (g.bars > 1) text << " .. " << utc(g.last_ts);
    text << " (" << g.bars << " bar" << (g.bars > 1 ? "s" : "") << ")";
  }
  if (gaps.size() > kGapsNamed) text << " and " << gaps.size() - kGapsNamed << " more gap(s)";
  return text.str();
}

// The row `from` of `source` appended to `to`, or a flat bar at its close (a missing bar).
void append_row(Market& to, const Market& source, std::size_t from, std::int64_t ts, bool flat) {
  const double close = source.close[from];
  to.ts.push_back(ts);
  to.open.push_back(flat ? close : source.open[from]);
  to.high.push_back(flat ? close : source.high[from]);
  to.low.push_back(flat ? close : source.low[from]);
  to.close.push_back(close);
  if (source.has_volume()) to.volume.push_back(flat ? 0.0 : source.volume[from]);
  if (source.has_oi()) to.oi.push_back(source.oi[from]);
  if (source.has_long_share()) to.long_share.push_back(source.long_share[from]);
}

// Venues of one coin trade within a fraction of a percent of each other; prices 1.25x apart or
// more are another coin or another contract size (ETH for BTC, 1000PEPE for PEPE), whose
// liquidations summed on one price axis would mean nothing.
constexpr double kMostPriceRatio = 1.25;

double median_close(const Market& market) {
  std::vector<double> closes = market.close;
  std::nth_element(closes.begin(), closes.begin() + static_cast<long>(closes.size() / 2), closes.end());
  return closes[closes.size() / 2];
}

void require_one_price_level(const std::vector<VenueMarket>& venues) {
  const double first = median_close(venues.front().market);
  for (const VenueMarket& v : venues) {
    const double price = median_close(v.market);
    const double ratio = std::max(price, first) / std::min(price, first);
    if (!(ratio < kMostPriceRatio)) {
      std::ostringstream text;
      text.precision(6);
      text << "venue '" << v.name << "' trades at a median close of " << price << " and venue '" << venues.front().name
           << "' at " << first << " over the shared bars (" << std::setprecision(3) << ratio
           << "x apart): venues summed on one price axis must trade the same coin at the same price (another coin, "
              "or a contract of another size?)";
      throw Error(ErrorCode::input, text.str());
    }
  }
}

}  // namespace

std::vector<std::string> align_venues(std::vector<VenueMarket>& venues) {
  if (venues.empty()) throw Error(ErrorCode::invalid_argument, "no venue given");
  std::int64_t start = std::numeric_limits<std::int64_t>::min(), end = std::numeric_limits<std::int64_t>::max();
  for (const VenueMarket& v : venues) {
    if (v.market.size() == 0) throw Error(ErrorCode::input, "venue '" + v.name + "' has no bars");
    start = std::max(start, v.market.ts.front());
    end = std::min(end, v.market.ts.back());
  }
  if (start > end) {
    std::string spans;
    for (const VenueMarket& v : venues)
      spans += "; " + v.name + " " + utc(v.market.ts.front()) + " .. " + utc(v.market.ts.back());
    throw Error(ErrorCode::input, "the venues cannot be aligned: they share no time" + spans);
  }
  std::set<std::int64_t> union_ts;
  for (const VenueMarket& v : venues)
    for (std::int64_t ts : v.market.ts)
      if (ts >= start && ts <= end) union_ts.insert(ts);
  const std::vector<std::int64_t> shared(union_ts.begin(), union_ts.end());

  std::vector<std::string> notices;
  for (VenueMarket& v : venues) {
    const Market& source = v.market;
    const std::int64_t first_oi_ts = source.has_oi() && source.warmup_rows < source.size()
                                         ? source.ts[source.warmup_rows]
                                         : std::numeric_limits<std::int64_t>::min();
    Market aligned;
    std::vector<Gap> gaps;
    std::size_t j = 0, kept = 0, missing = 0;
    for (const std::int64_t ts : shared) {
      while (j < source.size() && source.ts[j] < ts) ++j;
      const bool present = j < source.size() && source.ts[j] == ts;
      if (present) {
        append_row(aligned, source, j, ts, false);
        ++kept;
        continue;
      }
      append_row(aligned, source, j - 1, ts, true);  // j > 0: the venue starts at or before `start`
      ++missing;
      if (!gaps.empty() && aligned.size() >= 2 && gaps.back().last_ts == aligned.ts[aligned.size() - 2]) {
        gaps.back().last_ts = ts;
        ++gaps.back().bars;
      } else {
        gaps.push_back({ts, ts, 1});
      }
    }
    if (4 * missing > shared.size())
      throw Error(ErrorCode::input, "venue '" + v.name + "' cannot be aligned: it lacks " + std::to_string(missing) +
                                        " of the " + std::to_string(shared.size()) + " shared bar times (" +
                                        describe_gaps(gaps) + "); give every venue the same bar interval");
    aligned.warmup_rows = std::size_t(std::count_if(aligned.ts.begin(), aligned.ts.end(),
                                                    [&](std::int64_t ts) { return ts < first_oi_ts; }));
    if (missing > 0)
      notices.push_back("venue " + v.name + ": " + std::to_string(missing) + " bar(s) missing in the shared time axis, "
                        "drawn flat at the previous close with no volume: " + describe_gaps(gaps));
    if (kept < source.size())
      notices.push_back("venue " + v.name + ": " + std::to_string(source.size() - kept) + " bar(s) outside the time all "
                        "venues cover (" + utc(start) + " .. " + utc(end) + ") left out");
    v.market = std::move(aligned);
  }
  require_one_price_level(venues);
  return notices;
}

void share_price_axis(std::vector<VenueMarket>& venues, std::size_t first, std::size_t last) {
  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  for (const VenueMarket& v : venues)
    for (std::size_t t = first; t <= last && t < v.market.size(); ++t) {
      lowest = std::min(lowest, v.market.low[t]);
      highest = std::max(highest, v.market.high[t]);
    }
  for (VenueMarket& v : venues) {
    Config::GridShape& grid = v.config.grid;
    if (!grid.price_min) grid.price_min = lowest * (1.0 - grid.range_margin);
    if (!grid.price_max) grid.price_max = highest * (1.0 + grid.range_margin);
  }
}

}  // namespace liqmap::venues
