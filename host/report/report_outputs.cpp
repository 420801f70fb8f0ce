#include "report_outputs.hpp"

#include <memory>

namespace liqmap::report {

std::vector<detail::OutputFile> report_outputs(const Result& result, const Market& market,
                                               const Config& config, const ReportOptions& options) {
  const auto analysis = std::make_shared<const Analysis>(analyse(result, market, config, options));
  std::vector<detail::OutputFile> files = {
      {"clusters.json", [&result, analysis](const std::string& p) { write_clusters_json(p, result, *analysis); }},
      {"tracks.csv", [analysis](const std::string& p) { write_tracks_csv(p, *analysis); }},
      {"review.md", [&result, analysis](const std::string& p) { write_review_md(p, result, *analysis); }},
      {"prices.csv", [&market](const std::string& p) { write_prices_csv(p, market); }},
  };
  if (can_render_png())
    files.push_back({"heatmap.png", [&result, &market, analysis](const std::string& p) {
                       render_heatmap_png(p, result, market, *analysis);
                     }});
  return files;
}

}  // namespace liqmap::report
