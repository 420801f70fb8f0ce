// A progress bar on stderr for runs that last: drawn only when stderr is a terminal and only once
// a second has passed, so short runs, pipes and logs stay clean.
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

  // The callback for RunOptions::progress; empty when no bar is to be drawn.
  ProgressFn callback() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the callback, which may outlive a copy of it
};

}  // namespace liqmap::cli
