#include "calibrate/bars.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "text/human_format.hpp"

namespace liqmap::calibrate {

std::int64_t parse_bar(const std::string& text, const std::string& option) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  const std::int64_t per = unit == "m" ? 60000 : unit == "h" ? 3600000 : unit == "d" ? 86400000 : 0;
  if (digits == 0 || digits > 6 || per == 0 || std::stoll(text.substr(0, digits)) == 0)
    throw Error(ErrorCode::input, option + " '" + text + "': a bar is a positive whole number with a unit m, h or d (5m, 1h, 4h, 1d)");
  return std::stoll(text.substr(0, digits)) * per;
}

std::string format_bar(std::int64_t ms) {
  if (ms > 0 && ms % 86400000 == 0) return std::to_string(ms / 86400000) + "d";
  if (ms > 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms > 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  return std::to_string(ms) + "ms";
}

std::int64_t realized_spacing(const RealizedBars& bars, const std::string& path) {
  std::map<std::int64_t, std::size_t> gaps;
  for (std::size_t i = 1; i < bars.ts.size(); ++i) ++gaps[bars.ts[i] - bars.ts[i - 1]];
  if (gaps.empty()) throw Error(ErrorCode::input, path + ": needs at least 2 bars to know their spacing");
  const auto [step, count] = *gaps.begin();
  for (const auto& [gap, n] : gaps)
    if (gap % step != 0) {
      std::size_t at = 1;
      while (bars.ts[at] - bars.ts[at - 1] != gap) ++at;
      throw Error(ErrorCode::input, path + ": irregular bars: " + text::duration_ms(double(gap)) + " between " +
                                        io::format_timestamp(bars.ts[at - 1]) + " and " + io::format_timestamp(bars.ts[at]) +
                                        " is not a whole number of the smallest spacing (" + text::duration_ms(double(step)) +
                                        "): one bar size per file");
    }
  if (2 * count <= bars.ts.size() - 1)
    throw Error(ErrorCode::input, path + ": ambiguous bar size: the smallest spacing (" + text::duration_ms(double(step)) +
                                      ") is only " + std::to_string(count) + " of " + std::to_string(bars.ts.size() - 1) +
                                      " gaps; say the file's bar with --bar");
  return step;
}

RealizedBars to_bars(const RealizedBars& bars, std::int64_t spacing, std::int64_t bar, const std::string& path,
                     std::size_t* dropped) {
  if (dropped) *dropped = 0;
  if (bar < spacing || bar % spacing != 0)
    throw Error(ErrorCode::input, path + ": its bars are " + text::duration_ms(double(spacing)) + " apart: --bar " +
                                      text::duration_ms(double(bar)) + " must be a whole multiple of that (realized "
                                      "liquidations cannot be split into finer bars)");
  RealizedBars out;
  out.bar_ms = bar;
  if (bar == spacing) {
    out.ts = bars.ts, out.long_usd = bars.long_usd, out.short_usd = bars.short_usd;
    return out;
  }
  const auto floor_to = [bar](std::int64_t t) { return (t >= 0 ? t / bar : (t - bar + 1) / bar) * bar; };
  const std::size_t per_bar = std::size_t(bar / spacing);
  for (std::size_t i = 0; i < bars.ts.size();) {
    const std::int64_t start = floor_to(bars.ts[i]);
    double l = 0, s = 0;
    std::size_t rows = 0;
    for (; i < bars.ts.size() && bars.ts[i] < start + bar; ++i, ++rows) l += bars.long_usd[i], s += bars.short_usd[i];
    if (rows != per_bar) {
      if (dropped) ++*dropped;
      continue;
    }
    out.ts.push_back(start);
    out.long_usd.push_back(l);
    out.short_usd.push_back(s);
  }
  return out;
}

std::vector<std::string> parse_venues(const std::string& text, const std::string& option) {
  std::vector<std::string> venues;
  std::istringstream in(text);
  for (std::string name; std::getline(in, name, ',');) {
    std::string clean;
    for (char c : name)
      if (!std::isspace(static_cast<unsigned char>(c))) clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (clean.empty()) throw Error(ErrorCode::input, option + " '" + text + "': an empty venue name (binance,bybit,okx)");
    venues.push_back(clean);
  }
  if (venues.empty()) throw Error(ErrorCode::input, option + ": name at least one venue (binance,bybit,okx)");
  std::sort(venues.begin(), venues.end());
  venues.erase(std::unique(venues.begin(), venues.end()), venues.end());
  return venues;
}

std::string join_venues(const std::vector<std::string>& venues) {
  std::string text;
  for (const std::string& v : venues) text += (text.empty() ? "" : ",") + v;
  return text;
}

std::string venue_note(const std::vector<std::string>& realized, const std::vector<std::string>& oi) {
  if (realized.empty() || oi.empty())
    return "venues not stated (--realized-venues, --oi-venues): compare ranks; levels depend on the venues' shares";
  if (realized == oi) return "realized liquidations and open interest of the same venues (" + join_venues(oi) + ")";
  return "realized liquidations of " + join_venues(realized) + " against open interest of " + join_venues(oi) +
         ": levels differ by the ratio of the two venue sets' liquidations (a constant share leaves Spearman and "
         "Pearson unchanged; a share that drifts lowers them)";
}

}  // namespace liqmap::calibrate
