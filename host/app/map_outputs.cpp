#include "app/map_outputs.hpp"

#include <omp.h>

#include <algorithm>
#include <fstream>

#include "app/map_subject.hpp"
#include "clusters/clusters_peaks.hpp"
#include "liqmap/error.hpp"
#include "report/heatmap_html.hpp"
#include "report/heatmap_raster.hpp"
#include "report/liquidation_map_png.hpp"

namespace liqmap::app {
namespace {

// A view's standard files and its liquidation map's.
std::vector<detail::OutputFile> view_files(const MapView& view, const Config& config, const OutputChoice& choice,
                                           const report::ReportOptions& report) {
  report::ReportOptions with_map = report;
  with_map.liquidation_map = view.liquidation_map;  // the page draws it too
  std::vector<detail::OutputFile> files = standard_outputs(view.result, view.market, config, with_map, choice);
  if (view.liquidation_map)
    for (auto& f : liquidation_map_outputs(view.liquidation_map, capitalised(report.subject), choice.png)) files.push_back(std::move(f));
  return files;
}

}  // namespace

std::vector<detail::OutputFile> map_files(const MapRun& run, const OutputChoice& choice,
                                          const report::ReportOptions& report) {
  // The pictures, review.md, the page and axes.json say which view they show.
  report::ReportOptions drawn_report = report;
  drawn_report.subject = run.subject;
  std::vector<detail::OutputFile> files = view_files(run.drawn, run.config, choice, drawn_report);
  for (const MapView& venue : run.venues) {
    report::ReportOptions venue_report = report;
    venue_report.subject = venue_subject(venue.name, venue.config);
    for (detail::OutputFile& f : view_files(venue, venue.config, choice, venue_report)) {
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
                                                        const std::string& subject, bool png) {
  std::vector<detail::OutputFile> files;
  files.push_back({"liquidation_map.csv", [map](const std::string& path, const detail::CancelFn&) {
                     std::ofstream out(path, std::ios::binary);
                     out << map::liquidation_map_csv(*map);
                     if (!out.flush()) throw Error(ErrorCode::io, "cannot write '" + path + "'");
                   }});
  if (png && report::can_render_png())
    files.push_back({"liqmap_map.png", [map, subject](const std::string& path, const detail::CancelFn& cancelled) {
                       report::render_liquidation_map_png(path, *map, subject, cancelled);
                     }});
  return files;
}

}  // namespace liqmap::app
