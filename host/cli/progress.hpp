// A progress bar on stderr for runs that last: drawn only when stderr is a terminal and only once
// a second has passed, so short runs, pipes and logs stay clean.
#pragma once

#include "liqmap/engine.hpp"

namespace liqmap::cli {

// The callback for RunOptions::progress, or an empty one when no bar should be drawn.
ProgressFn progress_bar(bool quiet);

}  // namespace liqmap::cli
