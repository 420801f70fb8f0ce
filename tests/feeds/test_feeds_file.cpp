// --feed file:PATH (a growing CSV tailed, its partial last line waited for) and --feed stdin.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "feeds/feed.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {

struct Collected {
  std::mutex m;
  std::vector<live::AppendRequest> got;
  live::Appender appender() {
    return [this](const live::AppendRequest& r) {
      std::lock_guard<std::mutex> lock(m);
      got.push_back(r);
      return live::AppendResult{};
    };
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(m);
    return got.size();
  }
  bool wait_for(std::size_t n) {
    for (int i = 0; i < 200 && size() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return size() >= n;
  }
};

void append_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text;
}

TEST(FileFeed, TailsAGrowingFileAndWaitsForAPartialLine) {
  const std::string path = (std::filesystem::temp_directory_path() / ("liqmap_feed_" + std::to_string(::getpid()) + ".csv")).string();
  std::filesystem::remove(path);
  append_text(path, "ts,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,10\n17000000600");
  FeedSpec spec = parse_feed_spec("file:" + path);
  spec.file_poll_seconds = 0.02;
  Collected c;
  std::atomic<bool> stop{false};
  std::thread t([&] { run_feed(spec, c.appender(), stop, {}); });
  ASSERT_TRUE(c.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(c.size(), 1u) << "the partial line must be waited for";
  append_text(path, "00,1.5,2,1,1.2,3\n\n1700000120000,1.2,1.3,1.1,1.25,4\r\n");
  ASSERT_TRUE(c.wait_for(2));
  stop.store(true);
  t.join();
  std::filesystem::remove(path);
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].market_csv, "ts,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,10\n");
  EXPECT_EQ(c.got[1].market_csv,
            "ts,open,high,low,close,volume\n1700000060000,1.5,2,1,1.2,3\n1700000120000,1.2,1.3,1.1,1.25,4\n");
  EXPECT_FALSE(c.got[1].provisional);
  EXPECT_EQ(c.got[1].oi_csv, "");
}

TEST(FileFeed, RefusesAFileThatShrinksOrHasNoHeader) {
  const std::string path = (std::filesystem::temp_directory_path() / ("liqmap_feed_s_" + std::to_string(::getpid()) + ".csv")).string();
  {
    std::ofstream out(path);
    out << "ts,open,high,low,close\n1,2,3,1,2\n";
  }
  FeedSpec spec = parse_feed_spec("file:" + path);
  spec.file_poll_seconds = 0.02;
  Collected c;
  std::atomic<bool> stop{false};
  std::string error;
  std::thread t([&] {
    try {
      run_feed(spec, c.appender(), stop, {});
    } catch (const Error& e) {
      error = e.what();
    }
  });
  ASSERT_TRUE(c.wait_for(1));
  std::filesystem::resize_file(path, 5);
  t.join();
  EXPECT_NE(error.find("shrank"), std::string::npos) << error;

  {
    std::ofstream out(path);
    out << "1700000000000,1,2,0.5,1.5\n";
  }
  spec.follow = false;
  try {
    run_feed(spec, c.appender(), stop, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 1: expected a header row first"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
  EXPECT_NE(std::string([&] {
              try {
                run_feed(parse_feed_spec("file:/nonexistent/x.csv"), c.appender(), stop, {});
              } catch (const Error& e) {
                return std::string(e.what());
              }
              return std::string();
            }()).find("cannot open"),
            std::string::npos);
}

TEST(StdinFeed, SendsLinesAsTheyComeAndTheLastOneAtTheEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  FeedSpec spec = parse_feed_spec("stdin");
  spec.input_fd = fds[0];
  spec.file_poll_seconds = 0.02;
  Collected c;
  std::atomic<bool> stop{false};
  std::thread t([&] { run_feed(spec, c.appender(), stop, {}); });
  const std::string first = "ts,open,high,low,close\n10,1,2,0.5,1\n";
  ASSERT_EQ(::write(fds[1], first.data(), first.size()), static_cast<ssize_t>(first.size()));
  ASSERT_TRUE(c.wait_for(1));
  const std::string last = "20,1,2,0.5,1.5";  // no newline: sent when the input ends
  ASSERT_EQ(::write(fds[1], last.data(), last.size()), static_cast<ssize_t>(last.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_EQ(c.size(), 1u);
  ::close(fds[1]);
  t.join();
  ::close(fds[0]);
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].market_csv, first);
  EXPECT_EQ(c.got[1].market_csv, "ts,open,high,low,close\n20,1,2,0.5,1.5\n");
}

}  // namespace
}  // namespace liqmap::feeds

namespace liqmap::feeds {
namespace {

// The CLI hook the serve helper wires: `liqmap feed stdin --print` prints one JSON line a request.
TEST(FeedCli, PrintsEachAppendRequestAsAJsonLine) {
  const std::string cmd = "printf 'ts,open,high,low,close\\n10,1,2,0.5,1\\n20,1,2,0.5,1.5' | " + std::string(LIQMAP_CLI) +
                          " feed stdin --print 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ASSERT_EQ(::pclose(p), 0) << out;
  // One write: the complete line at once, the last one (no newline) when the input ends.
  EXPECT_EQ(out,
            "{\"market_csv\":\"ts,open,high,low,close\\n10,1,2,0.5,1\\n\",\"oi_csv\":\"\",\"provisional\":false}\n"
            "{\"market_csv\":\"ts,open,high,low,close\\n20,1,2,0.5,1.5\\n\",\"oi_csv\":\"\",\"provisional\":false}\n");
  const std::string bad = std::string(LIQMAP_CLI) + " feed binanse:BTCUSDT --print 2>&1";
  p = ::popen(bad.c_str(), "r");
  ASSERT_NE(p, nullptr);
  out.clear();
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_NE(::pclose(p), 0);
  EXPECT_NE(out.find("unknown source 'binanse'"), std::string::npos) << out;
}

}  // namespace
}  // namespace liqmap::feeds
