// A live state on disk (README "Live"): a folder holding the model between candles, the input
// files it was built from, the pinned config, and the run folder it keeps up to date.
//
//   DIR/state.json      what the state is: generation, files, committed and pending candles
//   DIR/config.json     the pinned config: `liqmap compute --config DIR/config.json` on the
//                       same files gives the same map
//   DIR/model-G.bin     the live model (live_model.hpp), generation G
//   DIR/inputs/G/...    the input files of each generation, under their own names
//
// Every change writes new files, then switches state.json by rename: a kill at any moment
// leaves the old state or the new one. A lock file keeps two appends from interleaving.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/map_job.hpp"
#include "app/map_market.hpp"
#include "app/standard_outputs.hpp"
#include "live/append_request.hpp"
#include "report/report.hpp"

namespace liqmap::live {

struct StateOptions {
  RunOptions run;
  std::string out_dir;  // compute: default DIR/run; append: default the state's
  std::string outputs = "all";
  report::ReportOptions drawing;
  std::function<void(const std::vector<std::string>&)> on_notices;
  std::function<bool()> cancelled;
};

// What a compute or an append did.
struct StateRun {
  app::MapRun run;                    // the map as written (committed and provisional candles)
  std::int64_t committed_steps = 0;   // candles in the model
  std::int64_t pending_steps = 0;     // shown, not committed (open OI interval, forming candle)
  std::int64_t steps_added = 0;       // committed by this call
  std::string out_dir;
  double seconds_model = 0;           // the model's part (append: the candles; not the files)
};

// `liqmap compute --state DIR`: reads `inputs`, pins `config` to the data (live_config),
// computes, writes the run folder and creates DIR (refused when DIR holds a state already).
StateRun create_state(const std::string& dir, const app::MapInputs& inputs, Config config, const StateOptions& options);

// `liqmap append`: new candle / OI files (or provisional: the last candle still forming, shown
// and not kept) added to the state at DIR, the run folder rewritten. Refused whole (nothing
// changes) when the files break a rule, rewrite committed candles, or belong to another market.
StateRun append_files(const std::string& dir, const std::vector<std::string>& market, const std::vector<std::string>& oi,
                      bool provisional, const StateOptions& options);

// The same for a request in memory (the server's POST /api/append, feeds): its CSV text is
// kept as files of the state.
AppendResult append_request(const std::string& dir, const AppendRequest& request, const StateOptions& options);

class LiveModel;
struct StepInput;

// The map job's run of a live model: its committed candles and `pending` shown provisionally,
// drawn as `liqmap compute` draws a market (`markets` holds all the rows).
app::MapRun map_run(LiveModel& model, const std::vector<StepInput>& pending, app::MapMarkets markets,
                    const RunOptions& run, const std::function<void(const std::vector<std::string>&)>& on_notices,
                    double model_seconds);

// append_request on the state at `dir` (CPU, default outputs): the server's and the feeds' appender.
Appender state_appender(const std::string& dir);

// The run folder a state keeps up to date (its state.json's "out").
std::string state_run_folder(const std::string& dir);

// The open time of the state's last committed candle (a feed resumes after it).
std::int64_t state_last_committed_ts(const std::string& dir);

}  // namespace liqmap::live
