// What an output may replace and how it lands (issue 30, items 1, 9, 11 and 14): never a device,
// FIFO, socket or the current folder; never a read-only folder, and no hidden copy left behind;
// two sets finishing into one folder keep each other's files; orphan locks are removed; files
// and folders are synced before and after the switch.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "liqmap/error.hpp"
#include "outputs/atomic_output.hpp"

namespace {

using namespace liqmap;
using liqmap::detail::AtomicFile;
using liqmap::detail::CancelFn;
using liqmap::detail::OutputFile;
using liqmap::detail::OutputSet;
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Sandbox {
  fs::path parent, out;
  explicit Sandbox(const std::string& name)
      : parent(fs::temp_directory_path() / ("liqmap-targets-" + name + "-" + std::to_string(::getpid()))),
        out(parent / "out") {
    fs::remove_all(parent);
    fs::create_directories(parent);
  }
  ~Sandbox() {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(parent, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
      if (it->is_directory(ec) && !it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, ec);
    fs::permissions(parent, fs::perms::owner_all, ec);
    fs::remove_all(parent, ec);
  }
  std::vector<std::string> hidden() const {  // staging folders, locks and partials of liqmap
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(parent))
      if (e.path().filename().string().find(".liqmap-") != std::string::npos) found.push_back(e.path().filename().string());
    return found;
  }
};

OutputFile text_file(const std::string& name, const std::string& content) {
  return {name, [content](const std::string& path, const CancelFn&) { std::ofstream(path) << content; }};
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(AtomicFile, RefusesAFifoAFolderAndASocketAndLeavesThemAsTheyWere) {
  const Sandbox box("file-kinds");
  const fs::path fifo = box.parent / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(has(error_of([&] { AtomicFile file(fifo.string()); }), "is a FIFO, not a regular file"));
  EXPECT_EQ(fs::status(fifo).type(), fs::file_type::fifo);

  fs::create_directories(box.parent / "folder");
  EXPECT_TRUE(has(error_of([&] { AtomicFile file((box.parent / "folder").string()); }), "is a folder"));

  const fs::path socket_path = box.parent / "sock";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_TRUE(has(error_of([&] { AtomicFile file(socket_path.string()); }), "is a socket"));
  ::close(s);
  EXPECT_EQ(fs::symlink_status(socket_path).type(), fs::file_type::socket);

  // A link to a FIFO is refused too; the link and the FIFO stay.
  fs::create_symlink(fifo, box.parent / "to-pipe");
  EXPECT_TRUE(has(error_of([&] { AtomicFile file((box.parent / "to-pipe").string()); }), "a link to a FIFO"));
  EXPECT_TRUE(fs::is_symlink(box.parent / "to-pipe"));
  EXPECT_TRUE(box.hidden().empty());
}

TEST(AtomicFile, WritesThroughALinkAndKeepsTheLink) {
  const Sandbox box("file-link");
  std::ofstream(box.parent / "real.csv") << "old";
  fs::create_symlink("real.csv", box.parent / "latest.csv");
  AtomicFile file((box.parent / "latest.csv").string());
  file.stream() << "new";
  file.commit();
  EXPECT_TRUE(fs::is_symlink(box.parent / "latest.csv"));
  EXPECT_EQ(slurp(box.parent / "real.csv"), "new");
  EXPECT_TRUE(box.hidden().empty());
}

TEST(AtomicFile, SyncsTheFileThenItsFolder) {
  const Sandbox box("file-sync");
  std::vector<std::string> synced;
  detail::on_sync = [&](const std::string& path) { synced.push_back(path); };
  AtomicFile file((box.parent / "a.csv").string());
  file.stream() << "x";
  file.commit();
  detail::on_sync = nullptr;
  ASSERT_EQ(synced.size(), 2u);
  EXPECT_TRUE(has(synced[0], "a.csv.liqmap-partial-"));  // the data, before the rename
  EXPECT_TRUE(fs::equivalent(synced[1], box.parent));    // the rename, after it
}

TEST(OutputSet, RefusesTheCurrentFolderAndOneThatHoldsIt) {
  const Sandbox box("cwd");
  fs::create_directories(box.out / "inner");
  std::ofstream(box.out / "inner" / "keep.txt") << "mine";
  const fs::path before = fs::current_path();
  fs::current_path(box.out / "inner");
  const std::string here = error_of([] { OutputSet set("."); });
  const std::string above = error_of([&] { OutputSet set(box.out.string(), {"inner"}); });
  fs::current_path(before);
  EXPECT_TRUE(has(here, "is the current folder")) << here;
  EXPECT_TRUE(has(above, "or holds it")) << above;
  EXPECT_EQ(slurp(box.out / "inner" / "keep.txt"), "mine");
  EXPECT_TRUE(box.hidden().empty());
}

TEST(OutputSet, RefusesAFolderHoldingAFifoAndKeepsIt) {
  const Sandbox box("fifo-inside");
  fs::create_directories(box.out);
  ASSERT_EQ(::mkfifo((box.out / "pipe").c_str(), 0600), 0);
  const std::string message = error_of([&] { OutputSet set(box.out.string()); });
  EXPECT_TRUE(has(message, "holds 'pipe', a FIFO")) << message;
  EXPECT_EQ(fs::status(box.out / "pipe").type(), fs::file_type::fifo);
  EXPECT_TRUE(box.hidden().empty());
}

TEST(OutputSet, RefusesAReadOnlyFolderAndLeaksNoCopy) {
  const Sandbox box("read-only");
  OutputSet(box.out.string()).write_and_commit({text_file("a.txt", "old")});
  fs::permissions(box.out, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const std::string message = error_of([&] { OutputSet set(box.out.string()); });
  EXPECT_TRUE(has(message, "is read-only (mode 0555)")) << message;
  EXPECT_EQ(slurp(box.out / "a.txt"), "old");
  EXPECT_TRUE(box.hidden().empty());
}

TEST(OutputSet, ARemovedOldSetWithAReadOnlySubFolderLeavesNoHiddenCopy) {
  const Sandbox box("read-only-sub");
  OutputSet(box.out.string(), {"venues"}).write_and_commit({text_file("a.txt", "old"), text_file("venues/x/a.txt", "x")});
  fs::permissions(box.out / "venues" / "x", fs::perms::owner_read | fs::perms::owner_exec);
  OutputSet(box.out.string(), {"venues"}).write_and_commit({text_file("a.txt", "new")}, {},
                                                            [](const std::string& name) { return name != "venues"; });
  EXPECT_EQ(slurp(box.out / "a.txt"), "new");
  EXPECT_FALSE(fs::exists(box.out / "venues"));
  EXPECT_TRUE(box.hidden().empty());
}

// A backtest and a cascade on one folder at once: the one that switches second carries the
// first one's files instead of dropping them.
TEST(OutputSet, TwoSetsFinishingIntoOneFolderKeepEachOthersFiles) {
  const Sandbox box("two-derived");
  OutputSet(box.out.string()).write_and_commit({text_file("axes.json", "run")});
  OutputSet backtest(box.out.string()), cascade(box.out.string());
  backtest.before_switch = [&] { cascade.write_and_commit({text_file("cascade.json", "c")}); };
  backtest.write_and_commit({text_file("backtest.json", "b")});
  EXPECT_EQ(slurp(box.out / "axes.json"), "run");
  EXPECT_EQ(slurp(box.out / "cascade.json"), "c");
  EXPECT_EQ(slurp(box.out / "backtest.json"), "b");
  EXPECT_TRUE(box.hidden().empty());
}

TEST(OutputSet, RemovesOrphanLocksAndKeepsALiveOne) {
  const Sandbox box("orphan-locks");
  const fs::path orphan = box.parent / ".liqmap-staging-out-999999-0-1.lock";  // its folder is gone
  std::ofstream(orphan) << "";
  const fs::path live = box.parent / ".liqmap-staging-out-1-0-2.lock";  // its run is between lock and mkdir
  const int fd = ::open(live.c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  OutputSet(box.out.string()).write_and_commit({text_file("a.txt", "a")});
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(live));
  ::close(fd);
  EXPECT_EQ(detail::remove_stale_staging(box.parent.string()), 1u);
  EXPECT_TRUE(box.hidden().empty());
}

TEST(OutputSet, SyncsEveryFileAndFolderBeforeTheSwitchAndTheParentAfter) {
  const Sandbox box("sync");
  std::vector<std::string> synced;
  OutputSet set(box.out.string(), {"venues"});
  const std::string staging = set.staging();
  detail::on_sync = [&](const std::string& path) { synced.push_back(path); };
  set.write_and_commit({text_file("a.txt", "a"), text_file("venues/x/b.txt", "b")});
  detail::on_sync = nullptr;
  const auto at = [&](const std::string& path) {
    return std::find(synced.begin(), synced.end(), path) - synced.begin();
  };
  const auto n = static_cast<std::ptrdiff_t>(synced.size());
  ASSERT_LT(at(staging + "/a.txt"), n);
  ASSERT_LT(at(staging + "/venues/x/b.txt"), n);
  ASSERT_LT(at(staging), n);
  EXPECT_LT(at(staging + "/venues/x/b.txt"), at(staging + "/venues/x"));  // a file before its folder
  EXPECT_LT(at(staging + "/a.txt"), at(staging));
  EXPECT_TRUE(fs::equivalent(synced.back(), box.parent));  // the switch, last
}

}  // namespace
