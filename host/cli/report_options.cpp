#include "report_options.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/map_window.hpp"
#include "liqmap/error.hpp"

namespace liqmap::cli {

void add_report_options(CLI::App& cmd, ReportArgs& a, bool with_window) {
  report::ReportOptions& o = a.options;
  const std::string report = "Report", picture = "Picture";
  cmd.add_option("--at", a.at,
                 "clusters at this time: the last column at or before it (ms or ISO UTC);\n"
                 "default: the config's clusters.column")
      ->group(report);
  cmd.add_option("--cluster-every", o.cluster_every,
                 "cluster tracks: extract every N-th column (0 = auto, about 200 over the run)")
      ->group(report)->capture_default_str();
  cmd.add_option("--track-tolerance", o.track_tolerance_bins, "a peak continues a track within this many bins")
      ->group(report)->capture_default_str();
  cmd.add_option("--pivot-window", o.pivot_window, "swing high/low: the extreme of this many bars either side")
      ->group(report)->check(CLI::PositiveNumber)->capture_default_str();
  cmd.add_option("--level-lookback", o.level_lookback, "bars before the cluster column searched for swing levels")
      ->group(report)->capture_default_str();
  cmd.add_option("--level-tolerance", o.level_tolerance_pct, "a cluster within this % of a swing level is aligned")
      ->group(report)->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd.add_option("--width", o.width, "heatmap.png width in pixels")
      ->group(picture)->check(CLI::Range(400, 16384))->capture_default_str();
  cmd.add_option("--height", o.height, "heatmap.png height in pixels")
      ->group(picture)->check(CLI::Range(300, 16384))->capture_default_str();
  if (with_window) {
    cmd.add_option("--from", a.from,
                   "first time shown in heatmap.png and first shown on the page (ms or ISO UTC, or -24h, -3d:\n"
                   "before the run's last column); default: the start")
        ->group(picture);
    cmd.add_option("--to", a.to, "last time shown in heatmap.png; default: the end")->group(picture);
    cmd.add_option("--range", a.range, "show the last 12h|24h|3d|1w|1m|3m|6m|1y up to --to or the run's end")
        ->group(picture)->excludes("--from");
  }
  cmd.add_option("--view-margin", o.view_margin,
                 "price axis: the window's low..high widened by this fraction each side\n"
                 "(< 0: the whole grid)")
      ->group(picture)->capture_default_str();
  cmd.add_option("--intensity", a.intensity, "colour scale: gamma | log")
      ->group(picture)->check(CLI::IsMember({"gamma", "log"}))->capture_default_str();
  cmd.add_option("--gamma", o.gamma, "colour = (value / cap) ^ gamma")
      ->group(picture)->check(CLI::PositiveNumber)->capture_default_str();
  cmd.add_option("--cap-percentile", o.cap_percentile, "full brightness at this percentile of the drawn values")
      ->group(picture)->check(CLI::Range(0.1, 100.0))->capture_default_str();
  cmd.add_option("--title", o.title, "title of heatmap.png")->group(picture)->capture_default_str();
}

std::int64_t parse_time(const std::string& text) {
  bool digits = !text.empty();
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    std::int64_t ms = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (parsed.ec != std::errc())
      throw Error(ErrorCode::invalid_argument, "the time '" + text.substr(0, 32) + "' is too large for ms since the epoch");
    return ms;
  }
  std::tm tm{};
  int sec = 0;
  char sep = 'T';
  const int n = std::sscanf(text.c_str(), "%d-%d-%d%c%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &sep, &tm.tm_hour, &tm.tm_min, &sec);
  const bool ok = (n == 3 || n >= 6) && (n == 3 || sep == 'T' || sep == ' ') && tm.tm_mon >= 1 &&
                  tm.tm_mon <= 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31;
  // timegm on a year near INT_MAX overflows (the message then told of year -190732551).
  if (ok && (tm.tm_year < 1990 || tm.tm_year > 2200))
    throw Error(ErrorCode::invalid_argument, "the time '" + text.substr(0, 64) + "': the year " +
                                                 std::to_string(tm.tm_year) + " is outside 1990..2200");
  if (!ok)
    throw Error(ErrorCode::invalid_argument,
                "cannot read the time '" + text + "': expected ms since the epoch or ISO-8601 UTC "
                "such as 2026-04-04, 2026-04-04T08:00 or 2026-04-04T08:00:00Z");
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::string saved_subject(const std::string& run_dir) {
  std::ifstream in(run_dir + "/axes.json");
  const nlohmann::json axes = nlohmann::json::parse(in, nullptr, false);
  if (axes.is_object() && axes.contains("subject") && axes["subject"].is_string()) return axes["subject"];
  return "";
}

report::ReportOptions report_options(const ReportArgs& a) {
  report::ReportOptions o = a.options;
  if (!a.at.empty()) o.at_ts = parse_time(a.at);
  o.from_end_ms = app::span_before_end_ms(a.from);
  if (!a.from.empty() && !o.from_end_ms) o.from_ts = parse_time(a.from);
  if (!a.range.empty()) o.range_ms = app::range_preset_ms(a.range);
  if (!a.to.empty()) o.to_ts = parse_time(a.to);
  o.intensity = a.intensity == "log" ? report::Intensity::log : report::Intensity::gamma;
  return o;
}

}  // namespace liqmap::cli
