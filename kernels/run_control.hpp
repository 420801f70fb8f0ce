// Progress, cancellation and stage times of one run, shared by every backend (host code only).
// A backend calls checkpoint() before each stage and between device slices (the CPU scatter
// also between chunks of samples); a poll that answers false cancels the run there, so nothing
// after that point runs and the caller gets Error(cancelled).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "liqmap/error.hpp"
#include "liqmap/result.hpp"

namespace liqmap::detail {

class RunControl {
 public:
  // Told the stage about to run and the fraction of the run done; false cancels.
  using Poll = std::function<bool(const char* stage, double fraction)>;

  RunControl() = default;
  explicit RunControl(Poll poll) : poll_(std::move(poll)) {}

  // False when the run should stop. Safe to call from one thread of a parallel region.
  bool keep_going(const char* stage, double fraction) const {
    return !poll_ || poll_(stage, fraction);
  }
  // Throws Error(cancelled) when the run should stop.
  void checkpoint(const char* stage, double fraction) const {
    if (!keep_going(stage, fraction)) throw_cancelled(stage);
  }
  [[noreturn]] static void throw_cancelled(const char* stage) {
    throw Error(ErrorCode::cancelled, std::string("the run was cancelled (before or during ") +
                                          stage + ")");
  }

 private:
  Poll poll_;
};

// Where each stage starts in the run's progress, the same on every backend.
namespace progress_at {
constexpr double passage_tables = 0.0, scatter_deltas = 0.02, survival_recurrence = 0.8,
                 smooth_price = 0.9, smooth_time = 0.95, done = 1.0;
}

// Wall time per named stage, summed when a stage runs again (device slices). `sync` waits for
// queued device work, so a lap measures the work and not its launch.
class StageClock {
 public:
  explicit StageClock(std::vector<StageTime>& stages) : stages_(stages) {}

  template <class Sync>
  void lap(const char* stage, Sync&& sync) {
    sync();
    lap(stage);
  }
  void lap(const char* stage) {
    const auto now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    for (StageTime& entry : stages_)
      if (entry.stage == stage) {
        entry.seconds += seconds;
        return;
      }
    stages_.push_back({stage, seconds});
  }
  void restart() { start_ = Clock::now(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::vector<StageTime>& stages_;
  Clock::time_point start_ = Clock::now();
};

}  // namespace liqmap::detail
