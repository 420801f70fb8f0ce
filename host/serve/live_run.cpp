#include "serve/live_run.hpp"

#include "live/live_state.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "liqmap/error.hpp"

namespace liqmap::serve {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<TierRow> read_tier_map(const fs::path& path) {
  std::vector<TierRow> rows;
  std::ifstream in(path);
  if (!in) return rows;
  std::string line;
  std::getline(in, line);  // price,tier,long_usd,short_usd
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string price, tier, longs, shorts;
    std::getline(fields, price, ',');
    std::getline(fields, tier, ',');
    std::getline(fields, longs, ',');
    std::getline(fields, shorts, ',');
    char* end = nullptr;
    TierRow row;
    row.price = std::strtod(price.c_str(), &end);
    const bool ok_price = end != price.c_str();
    row.long_usd = std::strtod(longs.c_str(), &end);
    const bool ok_long = end != longs.c_str();
    row.short_usd = std::strtod(shorts.c_str(), &end);
    if (!ok_price || !ok_long || end == shorts.c_str() || tier.empty())
      throw Error(ErrorCode::io, path.string() + ":" + std::to_string(number) + ": expected price,tier,long_usd,short_usd");
    row.tier = tier;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::shared_ptr<const Snapshot> load_snapshot(const std::string& run_dir, std::uint64_t generation) {
  auto s = std::make_shared<Snapshot>();
  s->generation = generation;
  s->run = report::load_saved_run(run_dir);
  const fs::path dir(run_dir);
  const std::string clusters = read_text(dir / "clusters.json");
  if (!clusters.empty()) {
    try {
      s->clusters = nlohmann::json::parse(clusters);
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::io, (dir / "clusters.json").string() + " is not valid JSON: " + e.what());
    }
  }
  s->review_md = read_text(dir / "review.md");
  s->tier_map = read_tier_map(dir / "liquidation_map.csv");
  s->loaded_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
  return s;
}

LiveRun::LiveRun(const std::string& state_dir)
    : run_dir_(fs::exists(fs::path(state_dir) / "state.json") ? live::state_run_folder(state_dir)
                                                               : (fs::path(state_dir) / "run").string()) {
  if (!fs::is_directory(state_dir))
    throw Error(ErrorCode::io, "'" + state_dir + "' is not a folder: --state names a live state folder "
                               "whose run/ sub-folder is a saved run (`liqmap compute --out DIR/run`)");
  identity(seen_);
  snapshot_ = load_snapshot(run_dir_, 1);
}

bool LiveRun::identity(Identity& out) const {
  struct stat st {};
  if (::stat((fs::path(run_dir_) / "axes.json").c_str(), &st) != 0) return false;
  out.inode = static_cast<std::uint64_t>(st.st_ino);
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

std::shared_ptr<const Snapshot> LiveRun::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return snapshot_;
}

std::string LiveRun::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

bool LiveRun::poll() {
  Identity now;
  if (!identity(now)) return false;
  std::uint64_t next = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (now == seen_) return false;
    next = snapshot_->generation + 1;
  }
  try {
    auto fresh = load_snapshot(run_dir_, next);
    Identity after;
    // Replaced again while being read: read it at the next poll rather than serve a mixture.
    if (!identity(after) || !(after == now)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    snapshot_ = std::move(fresh);
    seen_ = now;
    last_error_.clear();
    return true;
  } catch (const Error& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_error_ = e.what();
    seen_ = now;  // read again when it changes next, not at every poll
    return false;
  }
}

}  // namespace liqmap::serve
