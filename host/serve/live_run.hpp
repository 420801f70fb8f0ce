// The saved run a live state serves (DIR/run, replaced whole by each append), read once per
// generation. A poll compares axes.json's identity (inode, size, mtime): the output staging
// switches the folder in with one rename, so a new identity means a whole new run.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/saved_run.hpp"

namespace liqmap::serve {

// One row of liquidation_map.csv: the notional of one leverage tier in one price bin.
struct TierRow {
  double price = 0;
  std::string tier;
  double long_usd = 0, short_usd = 0;
};

struct Snapshot {
  std::uint64_t generation = 0;  // 1 for the run found at start, +1 per run read since
  report::SavedRun run;
  nlohmann::json clusters;       // clusters.json, null when the run has none
  std::string review_md;         // review.md, empty when the run has none
  std::vector<TierRow> tier_map; // liquidation_map.csv (at the last column), empty when absent
  std::int64_t loaded_ms = 0;    // wall clock when read

  std::size_t columns() const { return run.result.axes.column_ts.size(); }
  std::int64_t last_ts() const { return run.result.axes.column_ts.empty() ? 0 : run.result.axes.column_ts.back(); }
  double last_close() const { return run.market.close.empty() ? 0 : run.market.close.back(); }
};

// Reads `run_dir` (throws Error(io) naming what is missing or malformed).
std::shared_ptr<const Snapshot> load_snapshot(const std::string& run_dir, std::uint64_t generation);

class LiveRun {
 public:
  // Reads DIR/run now; throws Error(io) when it is not a saved run.
  explicit LiveRun(const std::string& state_dir);

  std::shared_ptr<const Snapshot> current() const;
  // Reads the run again when its axes.json changed; true when a new generation was read. A run
  // caught half-replaced or unreadable keeps the old snapshot (the error is in last_error()).
  bool poll();
  std::string last_error() const;
  const std::string& run_dir() const { return run_dir_; }

 private:
  struct Identity {
    std::uint64_t inode = 0, size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Identity& o) const { return inode == o.inode && size == o.size && mtime_ns == o.mtime_ns; }
  };
  bool identity(Identity& out) const;

  std::string run_dir_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  Identity seen_;
  std::string last_error_;
};

}  // namespace liqmap::serve
