// Peak finding on one price profile, as scipy.signal.find_peaks(h, prominence=threshold) does it.
#pragma once

#include <cstddef>
#include <vector>

namespace liqmap::detail {

struct ProminentPeak {
  std::size_t bin = 0;
  double prominence = 0;
};

// Reusable buffers, so a loop over many columns does not allocate per column.
struct PeakScratch {
  std::vector<std::size_t> stack_index;
  std::vector<double> stack_min;
  std::vector<double> left_min, right_min;
};

// Local maxima of h[0..n) (a plateau counts once, at its middle sample rounded down; the
// first and last samples are never peaks) whose topographic prominence is >= min_prominence,
// in increasing bin order. Prominence: h[peak] minus the higher of the two lowest points
// reached walking left and right until a strictly higher sample or the end. O(n).
void find_prominent_peaks(const double* h, std::size_t n, double min_prominence,
                          PeakScratch& scratch, std::vector<ProminentPeak>& peaks);

// Columns of the grid gathered at once by one thread of extract_clusters_at (1 to 32: fewer on
// a tall grid), and the bytes extracting `columns` columns of `bins` holds at its peak on
// `threads` threads (their profiles and peak scratch), for the memory check.
std::size_t cluster_tile_columns(std::size_t bins);
double clusters_memory_bytes(std::size_t bins, std::size_t columns, int threads);

}  // namespace liqmap::detail
