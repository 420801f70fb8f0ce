#include "batch_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/batch_row.hpp"
#include "interrupt.hpp"
#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "map_options.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::cli {
namespace {

using app::BatchRow;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct RowOutcome {
  bool ok = false;
  std::string error, error_code;
  double seconds = 0;
  std::size_t bars = 0, columns = 0;
  nlohmann::json clusters;  // summary at the drawn map's last column
};

// Markets read once per distinct set of files and read options, shared by the rows that name
// them (4 windows of one symbol read its files once).
class MarketCache {
 public:
  std::shared_ptr<const io::MarketData> get(const std::vector<std::string>& market_paths,
                                            const std::vector<std::string>& oi_paths, const io::ReadOptions& read) {
    std::ostringstream key;
    for (const auto& p : market_paths) key << p << '\n';
    key << "|oi\n";
    for (const auto& p : oi_paths) key << p << '\n';
    key << int(read.format) << '|' << read.drop_bad_rows << '|' << (read.oi_unit ? int(*read.oi_unit) : -1) << '|'
        << (read.warmup_days ? *read.warmup_days : -1);
    std::shared_future<std::shared_ptr<const io::MarketData>> entry;
    std::promise<std::shared_ptr<const io::MarketData>> promise;
    bool reader = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = entries_.find(key.str());
      if (found == entries_.end()) {
        entry = promise.get_future().share();
        entries_.emplace(key.str(), entry);
        reader = true;
      } else {
        entry = found->second;
      }
    }
    if (reader) {
      try {
        promise.set_value(std::make_shared<const io::MarketData>(io::read_market(market_paths, oi_paths, read)));
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    }
    return entry.get();  // rethrows the reader's error for every row that shares it
  }
  app::MarketReader reader() {
    return [this](const std::vector<std::string>& market_paths, const std::vector<std::string>& oi_paths,
                  const io::ReadOptions& read) { return get(market_paths, oi_paths, read); };
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_future<std::shared_ptr<const io::MarketData>>> entries_;
};

// One map, as `liqmap compute --market .. --oi .. --config .. --from .. --to .. --out ..` makes it.
RowOutcome run_row(const BatchRow& row, MarketCache& markets, const RunOptions& base_run) {
  RowOutcome outcome;
  const app::MapRun run = app::run_batch_row(row, base_run, markets.reader(), [] { return interrupted(); }, 1);
  const ColumnClusters clusters =
      extract_clusters(run.drawn.result, run.drawn.market, run.config.clusters, run.config.clusters.column);
  outcome.ok = true;
  outcome.bars = run.drawn.market.size();
  outcome.columns = run.drawn.result.axes.column_ts.size();
  outcome.clusters = {{"ts", clusters.ts},
                      {"price", clusters.price},
                      {"above_usd", clusters.summary.above_usd},
                      {"below_usd", clusters.summary.below_usd},
                      {"asymmetry", clusters.summary.asymmetry},
                      {"bias", clusters.summary.bias},
                      {"peaks", clusters.peaks.size()}};
  return outcome;
}

// One line on stderr, redrawn in place, when stderr is a terminal.
class ProgressLine {
 public:
  ProgressLine(std::size_t total, bool quiet) : total_(total), shown_(!quiet && isatty(STDERR_FILENO)) {}
  void update(std::size_t done, std::size_t failed, const std::string& last) {
    if (!shown_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::fprintf(stderr, "\r\033[Kliqmap batch: %zu/%zu maps, %zu failed, %.1f s  %s", done, total_, failed,
                 seconds_since(start_), last.substr(0, 40).c_str());
    std::fflush(stderr);
  }
  // A message on its own line; the progress line is drawn again by the next update.
  void note(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::cerr << (shown_ ? "\r\033[K" : "") << message << "\n";
  }
  ~ProgressLine() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  std::size_t total_;
  bool shown_;
  std::mutex mutex_;
  Clock::time_point start_ = Clock::now();
};

void print_table(std::ostream& out, const std::vector<BatchRow>& rows, const std::vector<RowOutcome>& outcomes,
                 double seconds) {
  std::size_t name_width = 4;
  for (const BatchRow& row : rows) name_width = std::max(name_width, std::min<std::size_t>(row.name.size(), 32));
  out << std::left << std::setw(4) << "#" << std::setw(int(name_width) + 2) << "name" << std::setw(8) << "status"
      << std::right << std::setw(8) << "bars" << std::setw(9) << "columns" << std::setw(12) << "price"
      << "  " << std::left << std::setw(15) << "bias" << std::right << std::setw(9) << "seconds" << "  out / error\n";
  std::size_t failed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RowOutcome& o = outcomes[i];
    out << std::left << std::setw(4) << i + 1 << std::setw(int(name_width) + 2) << rows[i].name.substr(0, 32)
        << std::setw(8) << (o.ok ? "ok" : "FAILED") << std::right;
    if (o.ok) {
      out << std::setw(8) << o.bars << std::setw(9) << o.columns << std::setw(12) << std::fixed << std::setprecision(2)
          << o.clusters["price"].get<double>() << "  " << std::left << std::setw(15)
          << o.clusters["bias"].get<std::string>() << std::right << std::setw(9) << std::setprecision(2) << o.seconds
          << "  " << rows[i].out << "\n";
    } else {
      ++failed;
      out << std::setw(8) << "-" << std::setw(9) << "-" << std::setw(12) << "-" << "  " << std::left << std::setw(15)
          << "-" << std::right << std::setw(9) << std::fixed << std::setprecision(2) << o.seconds << "  "
          << o.error_code << ": " << o.error << "\n";
    }
  }
  out << rows.size() - failed << " of " << rows.size() << " maps written, " << failed << " failed, in " << std::fixed
      << std::setprecision(2) << seconds << " s\n";
}

nlohmann::json summary_json(const std::vector<BatchRow>& rows, const std::vector<RowOutcome>& outcomes, double seconds) {
  nlohmann::json maps = nlohmann::json::array();
  std::size_t failed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RowOutcome& o = outcomes[i];
    nlohmann::json entry{{"name", rows[i].name}, {"where", rows[i].where}, {"ok", o.ok},  {"out", rows[i].out},
                         {"seconds", o.seconds}, {"bars", o.bars},         {"columns", o.columns}};
    if (o.ok) entry["clusters"] = o.clusters;
    else entry["error"] = {{"code", o.error_code}, {"message", o.error}};
    failed += o.ok ? 0 : 1;
    maps.push_back(entry);
  }
  return {{"maps", maps}, {"ok", rows.size() - failed}, {"failed", failed}, {"seconds", seconds}};
}

}  // namespace

CLI::App* add_batch_command(CLI::App& app, BatchOptions& o) {
  auto* cmd = app.add_subcommand("batch", "many maps in one process, from a manifest (JSON or CSV, one row per map)");
  cmd->footer(std::string("A row has: ") + app::batch_row_keys() +
              "\n(market/oi: a path, a glob, or a list; in CSV several separated by ';'; config: a JSON file, or an\n"
              "object in JSON manifests; relative paths are read from the manifest's folder).\n"
              "Exit status " + std::to_string(kBatchSomeFailed) +
              " when some maps failed (the others are written; the summary says which).\n"
              "Example: liqmap batch maps.json --jobs 2\n"
              "  maps.json: {\"defaults\": {\"market\": \"btc_1h.csv\", \"oi\": \"oi_4h.csv\"},\n"
              "              \"maps\": [{\"name\": \"jan\", \"from\": \"2026-01-01\", \"to\": \"2026-01-31\", \"out\": \"jan\"}]}");
  cmd->add_option("manifest", o.manifest, "JSON or CSV manifest")->required()->check(CLI::ExistingFile);
  cmd->add_option("--jobs,-j", o.jobs, "maps computed at once (each with threads / jobs CPU threads)")
      ->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_option("--threads", o.threads, "CPU threads in all (0 = all)")->check(cli::thread_count());
  cmd->add_option("--backend", o.backend, "auto | cpu | cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_flag("--quiet,-q", o.quiet, "no progress line and no table (errors still)");
  cmd->add_flag("--json", o.json, "print the summary as JSON on stdout instead of the table");
  return cmd;
}

int run_batch(const BatchOptions& o) {
  const auto start = Clock::now();
  const std::vector<BatchRow> rows = app::read_batch_manifest(o.manifest);
  std::vector<RowOutcome> outcomes(rows.size());
  MarketCache markets;
  RunOptions run;
  run.backend = parse_backend(o.backend);
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const int jobs = std::max(1, std::min<int>(o.jobs, int(rows.size())));
  run.threads = std::max(1, (o.threads > 0 ? o.threads : int(hardware)) / jobs);
  run.progress = [](double) { return !interrupted(); };

  std::atomic<std::size_t> next{0}, done{0}, failed{0};
  ProgressLine progress(rows.size(), o.quiet || o.json);
  auto worker = [&] {
    for (std::size_t i = next++; i < rows.size() && !interrupted(); i = next++) {
      const auto row_start = Clock::now();
      RowOutcome& outcome = outcomes[i];
      try {
        outcome = run_row(rows[i], markets, run);
      } catch (const Error& e) {
        outcome.error = e.what();
        outcome.error_code = error_code_name(e.code());
      } catch (const std::bad_alloc&) {
        outcome.error = "the host ran out of memory";
        outcome.error_code = "out_of_memory";
      } catch (const std::exception& e) {
        outcome.error = e.what();
        outcome.error_code = "internal";
      }
      outcome.seconds = seconds_since(row_start);
      if (!outcome.ok) {
        ++failed;
        if (!o.json)
          progress.note("liqmap: map " + std::to_string(i + 1) + " '" + rows[i].name + "' (" + rows[i].where +
                        ") failed: " + outcome.error);
      }
      progress.update(++done, failed, rows[i].name);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  const double seconds = seconds_since(start);
  if (interrupted()) {
    std::cerr << "liqmap: interrupted after " << done << " of " << rows.size() << " maps\n";
    return 130;
  }
  if (o.json) std::cout << summary_json(rows, outcomes, seconds).dump(1) << "\n";
  else if (!o.quiet) print_table(std::cout, rows, outcomes, seconds);
  return failed > 0 ? kBatchSomeFailed : 0;
}

}  // namespace liqmap::cli
