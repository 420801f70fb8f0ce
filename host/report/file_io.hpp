// Opening and finishing an output file, with Error(io) naming the path on failure.
#pragma once

#include <fstream>
#include <string>

#include "liqmap/error.hpp"

namespace liqmap::report {

inline std::ofstream open_output(const std::string& path) {
  std::ofstream out(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "'");
  return out;
}

inline void finish_output(std::ofstream& out, const std::string& path) {
  out.close();
  if (!out) throw Error(ErrorCode::io, "writing '" + path + "' failed (disk full?)");
}

}  // namespace liqmap::report
