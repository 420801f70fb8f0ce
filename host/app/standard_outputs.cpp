#include "app/standard_outputs.hpp"

#include <sstream>

#include "liqmap/error.hpp"
#include "report/report_outputs.hpp"

namespace liqmap::app {

const char* output_choice_names() { return "png, review, clusters, npy, html (or all)"; }

OutputChoice parse_output_choice(const std::string& list) {
  OutputChoice choice{false, false, false, false, false};
  std::stringstream words(list);
  std::string word;
  bool any = false;
  while (std::getline(words, word, ',')) {
    if (word == "npy") choice.npy = true;
    else if (word == "png") choice.png = true;
    else if (word == "review") choice.review = true;
    else if (word == "clusters") choice.clusters = true;
    else if (word == "html") choice.html = true;
    else if (word == "all") choice.npy = choice.png = choice.review = choice.clusters = choice.html = true;
    else
      throw Error(ErrorCode::invalid_argument, "--outputs: unknown output '" + word + "'; expected a comma-separated list of " +
                                                   output_choice_names());
    any = true;
  }
  if (!any) throw Error(ErrorCode::invalid_argument, std::string("--outputs is empty; expected ") + output_choice_names());
  return choice;
}

bool is_standard_output(const std::string& name) {
  for (const char* ours : {"heatmap.npy", "long.npy", "short.npy", "axes.json", "liquidations.csv", "prices.csv",
                           "clusters.json", "tracks.csv", "review.md", "heatmap.png", "heatmap.html", "liqmap_map.png", "liquidation_map.csv",
                           "venues"})
    if (name == ours) return true;
  return false;
}

std::vector<detail::OutputFile> standard_outputs(const Result& result, const Market& market, const Config& config,
                                                 const report::ReportOptions& report, const OutputChoice& choice) {
  std::vector<detail::OutputFile> files = detail::model_outputs(result, market, config, choice.npy, choice.grid_type);
  const auto wanted = [&choice](const std::string& name) {
    if (name == "heatmap.png") return choice.png;
    if (name == "heatmap.html") return choice.html;
    if (name == "review.md") return choice.review;
    if (name == "clusters.json" || name == "tracks.csv") return choice.clusters;
    return true;
  };
  for (auto& f : report::report_outputs(result, market, config, report, wanted)) files.push_back(std::move(f));
  return files;
}

}  // namespace liqmap::app
