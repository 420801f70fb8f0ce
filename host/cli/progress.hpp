// A progress bar on stderr for runs that last: drawn only when stderr is a terminal and only once
// a second has passed, so short runs, pipes and logs stay clean. Its callback also cancels the
// run after Ctrl-C (interrupt.hpp).
#pragma once

#include <memory>

#include "liqmap/engine.hpp"

namespace liqmap::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool quiet);
  ~ProgressBar();  // clears the bar, also when the run failed
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The callback for RunOptions::progress: draws the bar where wanted, returns false once interrupted.
  ProgressFn callback() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the callback; null when no bar is drawn
};

}  // namespace liqmap::cli
