// Scratch files for the reader and CLI tests: one fresh folder per test process.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace liqmap::testing {

// Removed when the test process ends.
class ScratchDir {
 public:
  ScratchDir() : path_(std::filesystem::temp_directory_path() / ("liqmap-io-test-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path scratch_dir() {
  static const ScratchDir dir;
  return dir.path();
}

inline std::string write_file(const std::string& name, const std::string& text) {
  const auto path = scratch_dir() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// The shared BTC data beside the repository (../shared), if this checkout has it.
inline std::filesystem::path shared_btc_dir() {
  return std::filesystem::path(LIQMAP_SOURCE_DIR) / ".." / "shared" / "data" / "btc";
}

}  // namespace liqmap::testing
