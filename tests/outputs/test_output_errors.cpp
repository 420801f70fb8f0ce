// A file that cannot be written says why, with the system's reason (issue 30, item 15): out of
// inodes or space (ENOSPC) read before as a bare "cannot write".
#include <gtest/gtest.h>

#include <string>

#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"
#include "report/file_io.hpp"

namespace {

using liqmap::Error;
using liqmap::ErrorCode;

std::string io_error(void (*write)()) {
  try {
    write();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(OutputErrors, AFileThatCannotBeCreatedSaysTheSystemsReason) {
  const std::string message = io_error([] { liqmap::report::open_output("/nonexistent-liqmap-dir/x.csv"); });
  EXPECT_EQ(message, "cannot write '/nonexistent-liqmap-dir/x.csv': No such file or directory");
}

TEST(OutputErrors, AFullDeviceIsSaidAsNoSpace) {
  // /dev/full answers every write with ENOSPC, as a file system out of space or inodes does.
  const std::string npy = io_error([] { liqmap::detail::write_npy("/dev/full", liqmap::Grid(64, 64)); });
  EXPECT_NE(npy.find("/dev/full"), std::string::npos) << npy;
  EXPECT_NE(npy.find("No space left on device"), std::string::npos) << npy;
  const std::string report = io_error([] {
    std::ofstream out = liqmap::report::open_output("/dev/full");
    out << std::string(1 << 16, 'x');
    liqmap::report::finish_output(out, "/dev/full");
  });
  EXPECT_EQ(report, "writing '/dev/full' failed: No space left on device");
}

}  // namespace
