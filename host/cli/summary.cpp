#include "summary.hpp"

#include <cstdio>
#include <string>

#include "liqmap/io.hpp"
#include "outputs/outputs.hpp"
#include "report/format.hpp"

namespace liqmap::cli {
namespace {

std::string usd(double v) { return report::format_usd(v); }

std::string percent(double part, double whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

}  // namespace

void print_run_summary(std::ostream& out, const Result& r, double output_seconds) {
  const RunStats& s = r.stats;
  char line[256];
  out << "liqmap run: " << r.axes.steps << " steps -> " << r.axes.price_centres.size() << " price bins x "
      << r.axes.column_ts.size() << " columns, " << (r.axes.scale == PriceScale::log ? "log" : "linear")
      << " price axis " << report::format_price(r.axes.price_min) << " .. " << report::format_price(r.axes.price_max)
      << ", bins " << report::format_bin_width(r.axes) << " wide\n";
  out << "  backend            " << s.backend << " (" << s.backend_note << "), " << s.threads << " threads\n";
  out << "  flow source        " << s.flow_source << ", opened notional " << usd(s.opened_usd) << "\n";
  out << "  positions drawn    " << report::format_count(double(s.positions_drawn)) << "\n";
  out << "  in range           " << report::format_count(double(s.positions_in_range)) << "  " << usd(s.in_range_usd) << " ("
      << percent(s.in_range_usd, s.opened_usd) << ")\n";
  out << "  out of range       " << report::format_count(double(s.positions_out_of_range)) << "  " << usd(s.out_of_range_usd) << " ("
      << percent(s.out_of_range_usd, s.opened_usd) << ")\n";
  out << "  unliquidatable     " << report::format_count(double(s.positions_unliquidatable)) << "  " << usd(s.unliquidatable_usd) << "\n";
  out << "  liquidated         " << report::format_count(double(s.positions_liquidated)) << "  " << usd(s.liquidated_usd) << "\n";
  if (const auto cov = oi_coverage(r)) {
    std::snprintf(line, sizeof line, "  open interest      the map holds %.1f%% of the latest open interest; %.1f%% out of range\n",
                  100 * cov->map_share, 100 * cov->out_of_range_share);
    out << line;
  }
  for (const std::string& note : s.flow_notes) out << "  flow               " << note << "\n";
  out << "  time per stage    ";
  for (const auto& st : s.stages) {
    std::snprintf(line, sizeof line, " %s %.3fs", st.stage.c_str(), st.seconds);
    out << line;
  }
  std::snprintf(line, sizeof line, " outputs %.3fs\n  total              %.3fs (%.1f M positions/s in the engine)\n",
                output_seconds, s.total_seconds + output_seconds,
                s.total_seconds > 0 ? s.positions_drawn / s.total_seconds / 1e6 : 0.0);
  out << line;
}

static nlohmann::json coverage_summary(const Result& result) {
  const auto cov = oi_coverage(result);
  if (!cov) return nullptr;
  return {{"oi_usd", cov->oi_usd}, {"map_usd", cov->map_usd}, {"map_share", cov->map_share},
          {"out_of_range_share", cov->out_of_range_share}};
}

nlohmann::json run_summary_json(const Result& result, const Market& market, const std::string& out_dir,
                                double output_seconds, const std::vector<std::string>& notices) {
  const Axes& a = result.axes;
  return {{"ok", true},
          {"out", out_dir},
          {"steps", a.steps},
          {"columns", a.column_ts.size()},
          {"price_bins", a.price_centres.size()},
          {"price_min", a.price_min},
          {"price_max", a.price_max},
          {"price_scale", to_string(a.scale)},
          {"bin_width", report::format_bin_width(a)},
          {"first_ts", market.ts.front()},
          {"last_ts", market.ts.back()},
          {"first", io::format_timestamp(market.ts.front())},
          {"last", io::format_timestamp(market.ts.back())},
          {"notices", notices},
          {"output_seconds", output_seconds},
          {"coverage", coverage_summary(result)},
          {"stats", detail::stats_json(result.stats)}};
}

nlohmann::json error_json(const std::string& code, const std::string& message) {
  return {{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace liqmap::cli
