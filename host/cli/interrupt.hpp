// Ctrl-C during a run cancels it through the progress callback, so the engine stops and no output
// is written; a second Ctrl-C ends the process at once.
#pragma once

namespace liqmap::cli {

void cancel_runs_on_interrupt();
bool interrupted();

}  // namespace liqmap::cli
