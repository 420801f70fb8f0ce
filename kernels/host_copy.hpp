// A host-to-host copy on every core, for a download's last leg (pinned staging -> the result
// grids): the grids are fresh pages, and one thread taking their first-touch faults one by one
// held the whole download to about 3 GB/s on an H200 machine (bench/RESULTS.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace liqmap::device {

inline void copy_in_parallel(void* to, const void* from, std::size_t bytes) {
  constexpr std::size_t kPiece = std::size_t(1) << 20;
  const std::ptrdiff_t pieces = std::ptrdiff_t((bytes + kPiece - 1) / kPiece);
#pragma omp parallel for schedule(static) if (pieces > 1)
  for (std::ptrdiff_t i = 0; i < pieces; ++i) {
    const std::size_t first = std::size_t(i) * kPiece;
    std::memcpy(static_cast<char*>(to) + first, static_cast<const char*>(from) + first,
                std::min(kPiece, bytes - first));
  }
}

}  // namespace liqmap::device
