#include "progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "interrupt.hpp"

namespace liqmap::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double show_after_seconds = 1.0;
constexpr int bar_width = 40;

}  // namespace

struct ProgressBar::State {
  Clock::time_point start = Clock::now();
  int drawn_percent = -1;
};

ProgressBar::ProgressBar(bool quiet) {
  if (!quiet && ::isatty(STDERR_FILENO)) state_ = std::make_shared<State>();
}

ProgressBar::~ProgressBar() {
  if (!state_ || state_->drawn_percent < 0) return;
  std::fprintf(stderr, "\r%*s\r", bar_width + 8, "");
  std::fflush(stderr);
}

ProgressFn ProgressBar::callback() const {
  return [state = state_](double fraction) {
    if (interrupted()) return false;
    if (!state || std::chrono::duration<double>(Clock::now() - state->start).count() < show_after_seconds) return true;
    const int percent = static_cast<int>(fraction * 100 + 0.5);
    if (percent == state->drawn_percent) return true;
    state->drawn_percent = percent;
    const int filled = percent * bar_width / 100;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "########################################", bar_width - filled, "", percent);
    std::fflush(stderr);
    return true;
  };
}

}  // namespace liqmap::cli
