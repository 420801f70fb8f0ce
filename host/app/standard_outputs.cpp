#include "app/standard_outputs.hpp"

#include <fstream>
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

namespace {

// Every file a run may write, with the --outputs group that asks for it (none: always written).
enum class Group { always, npy, png, review, clusters, html };
struct OutputName {
  const char* name;
  Group group;
};
constexpr OutputName kOutputFiles[] = {
    {"axes.json", Group::always},          {"liquidations.csv", Group::always}, {"prices.csv", Group::always},
    {"liquidation_map.csv", Group::always}, {"heatmap.npy", Group::npy},         {"long.npy", Group::npy},
    {"short.npy", Group::npy},             {"heatmap.png", Group::png},         {"liqmap_map.png", Group::png},
    {"review.md", Group::review},          {"clusters.json", Group::clusters},  {"tracks.csv", Group::clusters},
    {"heatmap.html", Group::html},         {"venues", Group::always},  // several venues' sub-folders
    // What backtest and cascade derive from a run: a new run drops them (stale beside its grids).
    {"backtest.json", Group::always},      {"backtest.md", Group::always},      {"backtest.png", Group::always},
    {"cascade.json", Group::always},       {"cascade.png", Group::always},
};

bool chosen(Group group, const OutputChoice& choice) {
  switch (group) {
    case Group::npy: return choice.npy;
    case Group::png: return choice.png;
    case Group::review: return choice.review;
    case Group::clusters: return choice.clusters;
    case Group::html: return choice.html;
    case Group::always: break;
  }
  return true;
}

}  // namespace

bool is_standard_output(const std::string& name) {
  for (const OutputName& ours : kOutputFiles)
    if (name == ours.name) return true;
  return false;
}

std::vector<detail::OutputFile> standard_outputs(const Result& result, const Market& market, const Config& config,
                                                 const report::ReportOptions& report, const OutputChoice& choice) {
  std::vector<detail::OutputFile> files = detail::model_outputs(result, market, config, choice.npy, choice.grid_type);
  // axes.json says what the map shows, so `render` titles its pictures the same.
  for (detail::OutputFile& f : files)
    if (f.name == "axes.json" && !report.subject.empty())
      f.write = [&result, &config, subject = report.subject](const std::string& path, const detail::CancelFn&) {
        nlohmann::json axes = detail::axes_json(result, config);
        axes["subject"] = subject;
        std::ofstream out(path, std::ios::binary);
        out << axes.dump(1) << '\n';
        if (!out.flush()) throw Error(ErrorCode::io, "cannot write '" + path + "'");
      };
  const auto wanted = [&choice](const std::string& name) {
    for (const OutputName& ours : kOutputFiles)
      if (name == ours.name) return chosen(ours.group, choice);
    return true;
  };
  for (auto& f : report::report_outputs(result, market, config, report, wanted)) files.push_back(std::move(f));
  return files;
}

}  // namespace liqmap::app
