#include "serve/recompute_appender.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "app/map_job.hpp"
#include "app/map_market.hpp"
#include "app/map_outputs.hpp"
#include "liqmap/error.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::serve {
namespace {

namespace fs = std::filesystem;

struct Files {
  fs::path dir, market, oi, run;
};

Files files_of(const RecomputeOptions& o) {
  const fs::path dir = fs::path(o.state_dir) / "recompute";
  return {dir, dir / "market.csv", dir / "oi.csv", fs::path(o.state_dir) / "run"};
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  detail::AtomicFile file(path.string());
  file.stream() << text;
  file.commit();
}

// The rows of `csv` after its header (a first line that does not start with a digit), ending in a newline.
std::string rows_of(const std::string& csv) {
  std::size_t from = 0;
  while (from < csv.size() && (csv[from] == '\n' || csv[from] == '\r')) ++from;
  if (from < csv.size() && !std::isdigit(static_cast<unsigned char>(csv[from]))) {
    const std::size_t eol = csv.find('\n', from);
    from = eol == std::string::npos ? csv.size() : eol + 1;
  }
  std::string rows = csv.substr(from);
  if (!rows.empty() && rows.back() != '\n') rows += '\n';
  return rows;
}

std::string with_rows(std::string base, const std::string& added) {
  if (!base.empty() && base.back() != '\n') base += '\n';
  return base + rows_of(added);
}

// The whole compute of `market` (+ `oi`) into DIR/run; the committed steps.
std::int64_t compute_into(const RecomputeOptions& o, const fs::path& market, const fs::path* oi,
                          std::vector<std::string>& notices) {
  app::ConfigOptions options;
  if (o.bins > 0) options.bins = o.bins;
  app::MapJob job;
  job.config = app::resolve_config(default_config(), "", std::nullopt, options);
  app::MapInputs inputs;
  inputs.market = {market.string()};
  if (oi) inputs.oi = {oi->string()};
  app::MapMarkets markets = app::read_map_markets(inputs, job.config);
  const report::ReportOptions drawing;
  const app::OutputChoice choice = app::parse_output_choice(o.outputs);
  detail::OutputSet outputs(files_of(o).run.string(), {"venues"});
  job.output_bytes = app::output_memory_bytes(job.config, choice, drawing);
  const app::MapRun run = app::compute_map(job, std::move(markets));
  outputs.write_and_commit(app::map_files(run, choice, drawing), {},
                           [](const std::string& name) { return !app::is_standard_output(name); });
  notices = run.notices;
  return static_cast<std::int64_t>(run.drawn.result.axes.column_ts.size());
}

void copy_in(const RecomputeOptions& o) {
  const Files f = files_of(o);
  fs::create_directories(f.dir);
  if (!fs::exists(f.market)) {
    if (o.market_csv.empty())
      throw Error(ErrorCode::io, "'" + f.market.string() + "' is not there: --recompute needs --market FILE the first time");
    write_file(f.market, read_all(o.market_csv));
  }
  if (!o.oi_csv.empty() && !fs::exists(f.oi)) write_file(f.oi, read_all(o.oi_csv));
}

}  // namespace

void recompute_run(const RecomputeOptions& options) {
  copy_in(options);
  const Files f = files_of(options);
  std::vector<std::string> notices;
  const bool has_oi = fs::exists(f.oi);
  compute_into(options, f.market, has_oi ? &f.oi : nullptr, notices);
}

live::Appender recompute_appender(const RecomputeOptions& options) {
  copy_in(options);
  auto serial = std::make_shared<std::mutex>();
  return [options, serial](const live::AppendRequest& request) {
    std::lock_guard<std::mutex> lock(*serial);
    const Files f = files_of(options);
    if (rows_of(request.market_csv).empty() && rows_of(request.oi_csv).empty())
      throw Error(ErrorCode::input, "the request has no rows (a CSV body: header + rows, as `compute --market` reads)");
    const std::string market = with_rows(read_all(f.market), request.market_csv);
    const bool has_oi = fs::exists(f.oi) || !rows_of(request.oi_csv).empty();
    const std::string oi = has_oi ? with_rows(fs::exists(f.oi) ? read_all(f.oi) : std::string("ts,oi\n"), request.oi_csv) : "";
    // Computed from files beside the state's; committed only when the run was written.
    const fs::path next_market = f.dir / "market.next.csv", next_oi = f.dir / "oi.next.csv";
    write_file(next_market, market);
    if (has_oi) write_file(next_oi, oi);
    live::AppendResult result;
    try {
      result.columns = compute_into(options, next_market, has_oi ? &next_oi : nullptr, result.notices);
    } catch (...) {
      fs::remove(next_market);
      fs::remove(next_oi);
      throw;
    }
    if (request.provisional) {  // shown, not kept: the next append starts from the committed rows
      fs::remove(next_market);
      fs::remove(next_oi);
    } else {
      fs::rename(next_market, f.market);
      if (has_oi) fs::rename(next_oi, f.oi);
      std::istringstream rows(rows_of(request.market_csv));
      for (std::string line; std::getline(rows, line);)
        if (!line.empty() && line != "\r") ++result.steps_added;
    }
    return result;
  };
}

}  // namespace liqmap::serve
