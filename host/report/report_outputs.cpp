#include "report_outputs.hpp"

#include <future>

#include "heatmap_html.hpp"

namespace liqmap::report {

std::vector<detail::OutputFile> report_outputs(const Result& result, const Market& market, const Config& config,
                                               const ReportOptions& options,
                                               const std::function<bool(const std::string&)>& wanted) {
  const auto want = [&](const char* name) { return !wanted || wanted(name); };
  std::vector<detail::OutputFile> files;
  if (want("prices.csv"))
    files.push_back({"prices.csv", [&market](const std::string& p, const detail::CancelFn&) { write_prices_csv(p, market); }});
  const bool png = can_render_png() && want("heatmap.png");
  if (!png && !want("heatmap.html") && !want("clusters.json") && !want("tracks.csv") && !want("review.md")) return files;

  validate(options);  // here, so that a bad option is thrown by the caller, not by a writer
  const std::shared_future<Analysis> analysis =
      std::async(std::launch::async, [&result, &market, &config, options] {
        return analyse(result, market, config, options);
      }).share();
  // The picture first: it takes longest, so parallel writers finish together.
  if (png)
    files.insert(files.begin(), {"heatmap.png", [&result, &market, analysis](const std::string& p, const detail::CancelFn& c) {
                                   render_heatmap_png(p, result, market, analysis.get(), c);
                                 }});
  if (want("heatmap.html"))
    files.insert(files.begin(), {"heatmap.html", [&result, &market, analysis](const std::string& p, const detail::CancelFn& c) {
                                   write_heatmap_html(p, result, market, analysis.get(), c);
                                 }});
  if (want("clusters.json"))
    files.push_back({"clusters.json", [&result, analysis](const std::string& p, const detail::CancelFn&) {
                       write_clusters_json(p, result, analysis.get());
                     }});
  if (want("tracks.csv"))
    files.push_back({"tracks.csv", [analysis](const std::string& p, const detail::CancelFn&) {
                       write_tracks_csv(p, analysis.get());
                     }});
  if (want("review.md"))
    files.push_back({"review.md", [&result, analysis](const std::string& p, const detail::CancelFn&) {
                       write_review_md(p, result, analysis.get());
                     }});
  return files;
}

}  // namespace liqmap::report
