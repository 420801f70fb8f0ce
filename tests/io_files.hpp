// Scratch files for the reader and CLI tests (one fresh folder per test process), and the
// checks of a read that the reader tests share.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

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

// Whether one of a read's notices contains `part`.
inline bool has_notice(const io::MarketData& data, const std::string& part) {
  return std::any_of(data.notices.begin(), data.notices.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

// The message of the input error that reading `paths` throws ("" and a failure if none is).
inline std::string input_error(const std::vector<std::string>& paths, const std::vector<std::string>& oi = {}) {
  try {
    io::read_market(paths, oi);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// The shared BTC data beside the repository (../shared), if this checkout has it.
inline std::filesystem::path shared_btc_dir() {
  return std::filesystem::path(LIQMAP_SOURCE_DIR) / ".." / "shared" / "data" / "btc";
}

}  // namespace liqmap::testing
