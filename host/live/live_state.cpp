#include "live/live_state.hpp"

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/map_outputs.hpp"
#include "engine/plan_run.hpp"
#include "live/live_model.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::live {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr int kStateFormat = 1;

// state.json.
struct StateFile {
  std::int64_t generation = 0;
  std::vector<std::string> market, oi;  // the kept input files, relative to the state folder
  std::string read_format = "auto";
  bool drop_bad_rows = false;
  std::optional<std::string> oi_unit;
  std::string out, outputs = "all";
  std::int64_t committed_steps = 0, rows = 0, last_committed_ts = 0;

  std::string model() const { return "model-" + std::to_string(generation) + ".bin"; }
};

[[noreturn]] void refuse(const std::string& dir, const std::string& why) {
  throw Error(ErrorCode::input, dir + ": " + why);
}

StateFile read_state_file(const std::string& dir) {
  const fs::path path = fs::path(dir) / "state.json";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw Error(ErrorCode::io, dir + " holds no live state (no state.json): make one with `liqmap compute ... --state " +
                                   dir + "`");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(io::read_text(path.string()));
    StateFile s;
    if (j.at("format").get<int>() != kStateFormat)
      refuse(path.string(), "state format " + j.at("format").dump() + ", this liqmap reads format " +
                                std::to_string(kStateFormat) + ": compute the state again");
    s.generation = j.at("generation").get<std::int64_t>();
    s.market = j.at("market").get<std::vector<std::string>>();
    s.oi = j.at("oi").get<std::vector<std::string>>();
    s.read_format = j.at("read_format").get<std::string>();
    s.drop_bad_rows = j.at("drop_bad_rows").get<bool>();
    if (!j.at("oi_unit").is_null()) s.oi_unit = j.at("oi_unit").get<std::string>();
    s.out = j.at("out").get<std::string>();
    s.outputs = j.at("outputs").get<std::string>();
    s.committed_steps = j.at("committed_steps").get<std::int64_t>();
    s.rows = j.at("rows").get<std::int64_t>();
    s.last_committed_ts = j.at("last_committed_ts").get<std::int64_t>();
    for (const auto* list : {&s.market, &s.oi})
      for (const std::string& f : *list)
        if (f.empty() || fs::path(f).is_absolute() || f.find("..") != std::string::npos)
          refuse(path.string(), "an input file outside the state folder: " + f);
    return s;
  } catch (const nlohmann::json::exception& e) {
    refuse(path.string(), std::string("not a live state's state.json (") + e.what() + ")");
  }
}

void write_state_file(const std::string& dir, const StateFile& s, const LiveModel& model, std::int64_t pending) {
  nlohmann::json j = {{"format", kStateFormat},
                      {"generation", s.generation},
                      {"model", s.model()},
                      {"market", s.market},
                      {"oi", s.oi},
                      {"read_format", s.read_format},
                      {"drop_bad_rows", s.drop_bad_rows},
                      {"oi_unit", s.oi_unit ? nlohmann::json(*s.oi_unit) : nlohmann::json(nullptr)},
                      {"out", s.out},
                      {"outputs", s.outputs},
                      {"committed_steps", s.committed_steps},
                      {"rows", s.rows},
                      {"pending_steps", pending},
                      {"last_committed_ts", s.last_committed_ts},
                      {"last_committed", io::format_timestamp(s.last_committed_ts)},
                      {"alive_positions", model.alive_positions()}};
  detail::AtomicFile file((fs::path(dir) / "state.json").string());
  file.stream() << j.dump(2) << "\n";
  file.commit();
}

// One writer at a time: the lock is held until the state is switched.
class StateLock {
 public:
  explicit StateLock(const std::string& dir) {
    const std::string path = (fs::path(dir) / "lock").string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(ErrorCode::io, "cannot lock the live state " + dir + " (" + path + ")");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw Error(ErrorCode::io, "the live state " + dir + " is being changed by another liqmap: try again when it is done");
    }
  }
  ~StateLock() { ::close(fd_); }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

// Copies `paths` (globs expanded) into DIR/inputs/<generation>/, under their own names (they
// may carry the coin), and returns them relative to DIR.
std::vector<std::string> keep_inputs(const std::string& dir, const std::vector<std::string>& patterns,
                                     const std::string& folder) {
  std::vector<std::string> kept;
  for (const std::string& path : io::expand_paths(patterns)) {
    if (path == "-") throw Error(ErrorCode::invalid_argument, "a live state keeps its inputs as files: stdin (-) cannot be one");
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(ErrorCode::io, "cannot read " + path + ": not a file");
    fs::path target = fs::path(folder) / fs::path(path).filename();
    for (int i = 2; fs::exists(fs::path(dir) / target, ec); ++i)
      target = fs::path(folder) / std::to_string(i) / fs::path(path).filename();
    fs::create_directories((fs::path(dir) / target).parent_path());
    if (!fs::copy_file(path, fs::path(dir) / target, ec) || ec)
      throw Error(ErrorCode::io, "cannot keep " + path + " in the live state " + dir + ": " + ec.message());
    kept.push_back(target.generic_string());
  }
  return kept;
}

std::vector<std::string> under(const std::string& dir, const std::vector<std::string>& relative) {
  std::vector<std::string> out;
  for (const std::string& f : relative) out.push_back((fs::path(dir) / f).string());
  return out;
}

io::ReadOptions read_options(const StateFile& s) {
  io::ReadOptions read;
  read.format = io::parse_market_format(s.read_format);
  read.drop_bad_rows = s.drop_bad_rows;
  if (s.oi_unit) read.oi_unit = *s.oi_unit == "quote" ? OiUnit::quote : OiUnit::base;
  return read;
}

// The map job that draws the model's result: the same files as `liqmap compute`.
}  // namespace

app::MapRun map_run(LiveModel& model, const std::vector<StepInput>& pending, app::MapMarkets markets,
                    const RunOptions& run, const std::function<void(const std::vector<std::string>&)>& on_notices,
                    double model_seconds) {
  app::MapJob job;
  job.config = model.config();
  job.run = run;
  job.on_notices = on_notices;
  job.engine = [&](const Market&, const Config&, detail::RunExtras& extras) {
    const auto start = Clock::now();
    Result result = model.provisional_result(pending, run.threads, &extras.plan);
    result.stats.stages = {{"live_model", model_seconds},
                           {"provisional_and_grids", std::chrono::duration<double>(Clock::now() - start).count()}};
    return result;
  };
  return app::compute_map(job, std::move(markets));
}

namespace {

void write_run(const app::MapRun& run, const std::string& out_dir, const StateOptions& options) {
  detail::OutputSet outputs(out_dir, {"venues"});
  app::OutputChoice choice = app::parse_output_choice(options.outputs);
  outputs.write_and_commit(app::map_files(run, choice, options.drawing), options.cancelled,
                           [](const std::string& name) { return !app::is_standard_output(name); });
}

void save_model(const std::string& dir, const StateFile& s, const LiveModel& model) {
  detail::AtomicFile file((fs::path(dir) / s.model()).string());
  model.save(file.stream());
  file.commit();
}

LiveModel load_model(const std::string& dir, const StateFile& s) {
  const std::string path = (fs::path(dir) / s.model()).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read the live state's model " + path);
  return LiveModel::load(in, path);
}

}  // namespace

std::string state_run_folder(const std::string& dir) { return read_state_file(dir).out; }

std::int64_t state_last_committed_ts(const std::string& dir) { return read_state_file(dir).last_committed_ts; }

Appender state_appender(const std::string& dir) {
  return [dir](const AppendRequest& request) {
    StateOptions options;
    options.run.backend = Backend::cpu;
    options.outputs = read_state_file(dir).outputs;
    return append_request(dir, request, options);
  };
}

namespace {
StateRun make_state(const std::string& dir, const std::string& folder, const app::MapInputs& inputs, Config config,
                    const StateOptions& options);
}  // namespace

StateRun create_state(const std::string& dir, const app::MapInputs& inputs, Config config, const StateOptions& options) {
  if (!inputs.venues.empty())
    throw Error(ErrorCode::config, "a live state follows one market: several venues are not supported yet");
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "state.json", ec))
    throw Error(ErrorCode::io, dir + " holds a live state already: append to it (`liqmap append --state " + dir +
                                   "`), or remove it first");
  const bool made = fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, "cannot create the live state folder " + dir + ": " + ec.message());
  StateLock lock(dir);
  const std::string folder = "inputs/1";
  try {
    return make_state(dir, folder, inputs, std::move(config), options);
  } catch (...) {  // nothing half-made is left: the inputs kept so far, the folder when it was new
    fs::remove_all(fs::path(dir) / "inputs", ec);
    if (made) fs::remove_all(dir, ec);
    throw;
  }
}

namespace {

StateRun make_state(const std::string& dir, const std::string& folder, const app::MapInputs& inputs, Config config,
                    const StateOptions& options) {
  StateFile s;
  s.generation = 1;
  s.market = keep_inputs(dir, inputs.market, folder);
  s.oi = keep_inputs(dir, inputs.oi, folder);
  s.read_format = io::to_string(inputs.read.format);
  s.drop_bad_rows = inputs.read.drop_bad_rows;
  if (inputs.read.oi_unit) s.oi_unit = *inputs.read.oi_unit == OiUnit::quote ? "quote" : "base";
  s.out = fs::absolute(options.out_dir.empty() ? fs::path(dir) / "run" : fs::path(options.out_dir)).string();
  s.outputs = options.outputs;

  app::MapInputs kept = inputs;
  kept.market = under(dir, s.market);
  kept.oi = under(dir, s.oi);
  app::MapMarkets markets = app::read_map_markets(kept, config);
  const Market& market = markets.market;
  const std::size_t rows_read = market.size();
  const auto start = Clock::now();
  std::size_t committed = 0;
  LiveModel model = start_model(market, config, options.run, committed);
  const std::vector<StepInput> pending = advance(model, market, committed);
  StateRun out;
  out.seconds_model = std::chrono::duration<double>(Clock::now() - start).count();
  out.run = map_run(model, pending, std::move(markets), options.run, options.on_notices, out.seconds_model);
  write_run(out.run, s.out, options);

  s.committed_steps = model.steps();
  s.rows = std::int64_t(rows_read);
  s.last_committed_ts = model.last_ts();
  save_model(dir, s, model);
  {
    detail::AtomicFile file((fs::path(dir) / "config.json").string());
    file.stream() << config_to_json(model.config()) << "\n";
    file.commit();
  }
  write_state_file(dir, s, model, std::int64_t(pending.size()));
  out.committed_steps = model.steps();
  out.pending_steps = std::int64_t(pending.size());
  out.steps_added = model.steps();
  out.out_dir = s.out;
  return out;
}

}  // namespace

StateRun append_files(const std::string& dir, const std::vector<std::string>& market_files,
                      const std::vector<std::string>& oi_files, bool provisional, const StateOptions& options) {
  if (market_files.empty() && oi_files.empty())
    throw Error(ErrorCode::invalid_argument, "nothing to append: give --market and/or --oi files");
  read_state_file(dir);  // is there a state at all, before a lock file is made
  StateLock lock(dir);
  const StateFile old = read_state_file(dir);
  LiveModel model = load_model(dir, old);
  StateFile s = old;
  s.generation = old.generation + 1;
  const std::string folder = "inputs/" + std::to_string(s.generation) + (provisional ? "-provisional" : "");
  const auto forget_new = [&] {  // a refused append leaves no file behind
    std::error_code ec;
    fs::remove_all(fs::path(dir) / folder, ec);
  };
  try {
    const std::vector<std::string> new_market = keep_inputs(dir, market_files, folder);
    const std::vector<std::string> new_oi = keep_inputs(dir, oi_files, folder);
    app::MapInputs inputs;
    inputs.read = read_options(old);
    inputs.market = under(dir, old.market);
    inputs.oi = under(dir, old.oi);
    for (const std::string& f : under(dir, new_market)) inputs.market.push_back(f);
    for (const std::string& f : under(dir, new_oi)) inputs.oi.push_back(f);
    Config config = model.config();
    app::MapMarkets markets = app::read_map_markets(inputs, config);
    const Market& market = markets.market;
    const std::size_t rows_read = market.size();
    if (config.flow.oi_unit != model.config().flow.oi_unit)
      refuse(dir, "the new files' open interest is in another unit than the state's");
    const std::int64_t committed = model.steps();
    if (std::int64_t(market.size()) < committed || market.ts[std::size_t(committed - 1)] != model.last_ts())
      refuse(dir, "the files no longer hold the state's candles up to " + io::format_timestamp(model.last_ts()) +
                      ": a live state only takes candles after them");
    // A provisional append commits nothing: its files are shown once and then forgotten.
    const auto start = Clock::now();
    const std::vector<StepInput> pending = advance(model, market, provisional ? std::size_t(committed) : rows_read);
    StateRun out;
    out.seconds_model = std::chrono::duration<double>(Clock::now() - start).count();
    out.run = map_run(model, pending, std::move(markets), options.run, options.on_notices, out.seconds_model);
    out.out_dir = options.out_dir.empty() ? old.out : options.out_dir;
    write_run(out.run, out.out_dir, options);

    if (!provisional) {  // a provisional candle is shown once, never kept
      s.market.insert(s.market.end(), new_market.begin(), new_market.end());
      s.oi.insert(s.oi.end(), new_oi.begin(), new_oi.end());
    }
    s.committed_steps = model.steps();
    s.rows = provisional ? old.rows : std::int64_t(rows_read);
    s.last_committed_ts = model.last_ts();
    save_model(dir, s, model);
    write_state_file(dir, s, model, std::int64_t(pending.size()));
    std::error_code ec;
    fs::remove(fs::path(dir) / old.model(), ec);
    const fs::path previous = fs::path(dir) / ("inputs/" + std::to_string(old.generation) + "-provisional");
    fs::remove_all(previous, ec);
    out.committed_steps = model.steps();
    out.pending_steps = std::int64_t(pending.size());
    out.steps_added = model.steps() - committed;
    return out;
  } catch (...) {
    forget_new();
    throw;
  }
}

AppendResult append_request(const std::string& dir, const AppendRequest& request, const StateOptions& options) {
  if (request.market_csv.empty() && request.oi_csv.empty())
    throw Error(ErrorCode::invalid_argument, "nothing to append: the request has no candles and no open interest");
  // The text becomes files of a scratch folder, kept by append_files like any other input.
  const fs::path scratch = fs::path(dir) / ("incoming-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(scratch, ec);
  if (ec) throw Error(ErrorCode::io, "cannot write into the live state " + dir + ": " + ec.message());
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } cleanup{scratch};
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream out(scratch / name, std::ios::binary);
    out << text;
    if (!out.flush()) throw Error(ErrorCode::io, "cannot write into the live state " + dir);
    return (scratch / name).string();
  };
  // The kept files' names carry the coin (the state's first market file's name, when it has one).
  const StateFile s = read_state_file(dir);
  const std::string stem = s.market.empty() ? std::string("market") : fs::path(s.market.front()).stem().string();
  std::vector<std::string> market, oi;
  if (!request.market_csv.empty()) market.push_back(write(stem + "-appended.csv", request.market_csv));
  if (!request.oi_csv.empty()) oi.push_back(write(stem + "-oi-appended.csv", request.oi_csv));
  const StateRun run = append_files(dir, market, oi, request.provisional, options);
  AppendResult result;
  result.steps_added = run.steps_added;
  result.columns = std::int64_t(run.run.drawn.result.axes.column_ts.size());
  result.notices = run.run.notices;
  return result;
}

}  // namespace liqmap::live
