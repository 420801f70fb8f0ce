#include "app/map_outputs.hpp"

#include <omp.h>

#include <algorithm>
#include <fstream>

#include "clusters/clusters_peaks.hpp"
#include "liqmap/error.hpp"
#include "report/heatmap_html.hpp"
#include "report/heatmap_raster.hpp"
#include "report/liquidation_map_png.hpp"

namespace liqmap::app {
namespace {

// A view's standard files and its liquidation map's.
std::vector<detail::OutputFile> view_files(const MapView& view, const Config& config, const std::string& map_title,
                                           const OutputChoice& choice, const report::ReportOptions& report) {
  std::vector<detail::OutputFile> files = standard_outputs(view.result, view.market, config, report, choice);
  if (view.liquidation_map)
    for (auto& f : liquidation_map_outputs(view.liquidation_map, map_title, choice.png)) files.push_back(std::move(f));
  return files;
}

}  // namespace

std::vector<detail::OutputFile> map_files(const MapRun& run, const OutputChoice& choice,
                                          const report::ReportOptions& report) {
  if (run.venues.empty()) return view_files(run.drawn, run.config, run.exchanges, choice, report);
  std::string names;
  for (const MapView& v : run.venues) names += (names.empty() ? "" : " + ") + v.name;
  // The pictures say which view they show.
  report::ReportOptions aggregate_report = report;
  aggregate_report.title += " · aggregate of " + names;
  std::vector<detail::OutputFile> files = view_files(run.drawn, run.config, run.exchanges, choice, aggregate_report);
  for (const MapView& venue : run.venues) {
    report::ReportOptions venue_report = report;
    venue_report.title += " · " + venue.name;
    for (detail::OutputFile& f : view_files(venue, venue.config, venue.name, choice, venue_report)) {
      f.name = "venues/" + venue.name + "/" + f.name;
      files.push_back(std::move(f));
    }
  }
  return files;
}

double output_memory_bytes(const Config& config, const OutputChoice& choice, const report::ReportOptions& report) {
  // The rasters are the size of the picture whatever the grid's (report/heatmap_raster.hpp);
  // the picture adds Cairo's surface and the PNG it encodes, at most 4 bytes a pixel each.
  const int threads = omp_get_max_threads();
  const double pixels = double(report.width) * double(report.height);
  const double picture = choice.png ? report::raster_memory_bytes(report.width, report.height, threads) + 8 * pixels : 0;
  const double page = choice.html ? report::page_memory_bytes(std::size_t(config.grid.price_bins), report, threads) : 0;
  // The report's analysis (clusters and their tracks, ~200 columns), whatever the files.
  const double clusters = detail::clusters_memory_bytes(std::size_t(config.grid.price_bins), 256, threads);
  // Per price bin besides: the liquidation map (units, raw and smoothed columns and USD of each
  // side and tier) and axes.json's edges and centres (a JSON value and its text each).
  const double bins = double(config.grid.price_bins);
  const double per_bin = 64.0 * double(std::max<std::size_t>(config.leverage.size(), 1)) + 80.0;
  return picture + page + clusters + per_bin * bins;
}

std::vector<detail::OutputFile> liquidation_map_outputs(std::shared_ptr<const map::LiquidationMap> map,
                                                        const std::string& title, bool png) {
  std::vector<detail::OutputFile> files;
  files.push_back({"liquidation_map.csv", [map](const std::string& path, const detail::CancelFn&) {
                     std::ofstream out(path, std::ios::binary);
                     out << map::liquidation_map_csv(*map);
                     if (!out.flush()) throw Error(ErrorCode::io, "cannot write '" + path + "'");
                   }});
  if (png && report::can_render_png())
    files.push_back({"liqmap_map.png", [map, title](const std::string& path, const detail::CancelFn& cancelled) {
                       report::render_liquidation_map_png(path, *map, title, cancelled);
                     }});
  return files;
}

}  // namespace liqmap::app
