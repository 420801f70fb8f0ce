// The readers take paths: each harness writes its input to one scratch file per process.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace liqmap::fuzz {

inline std::string write_scratch(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
  const std::string path = "/tmp/liqmap-fuzz-" + std::to_string(::getpid()) + suffix;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) __builtin_trap();  // the harness itself is broken: no place to write
  if (size > 0) std::fwrite(data, 1, size, file);
  std::fclose(file);
  return path;
}

}  // namespace liqmap::fuzz
