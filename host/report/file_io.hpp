// Opening and finishing an output file, with Error(io) naming the path on failure.
#pragma once

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "liqmap/error.hpp"

namespace liqmap::report {

// The errno is said: out of inodes (ENOSPC on create) reads otherwise like a permission problem.
inline std::ofstream open_output(const std::string& path) {
  errno = 0;
  std::ofstream out(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "': " + (errno ? std::strerror(errno) : "unknown reason"));
  return out;
}

inline void finish_output(std::ofstream& out, const std::string& path) {
  out.close();  // errno stays as the failed write (buffered, perhaps long before) left it
  if (!out) throw Error(ErrorCode::io, "writing '" + path + "' failed: " + (errno ? std::strerror(errno) : "disk full?"));
}

}  // namespace liqmap::report
