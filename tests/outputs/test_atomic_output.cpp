// The atomic output writer: a set appears whole or not at all, under errors, cancels, kills
// (stale staging folders) and two runs into one folder; one file (synth) never half-written.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

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

// A parent folder for one test, removed when the test ends; `out` is the output folder in it.
struct Sandbox {
  fs::path parent, out;
  explicit Sandbox(const std::string& name)
      : parent(fs::temp_directory_path() / ("liqmap-atomic-" + name + "-" + std::to_string(::getpid()))),
        out(parent / "out") {
    fs::remove_all(parent);
    fs::create_directories(parent);
  }
  ~Sandbox() { fs::remove_all(parent); }

  std::map<std::string, std::string> files() const {
    std::map<std::string, std::string> found;
    if (fs::exists(out))
      for (const auto& e : fs::directory_iterator(out)) found[e.path().filename().string()] = slurp(e.path());
    return found;
  }
  std::size_t staging_entries() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(parent))
      n += e.path().filename().string().find("liqmap-staging") != std::string::npos;
    return n;
  }
};

OutputFile text_file(const std::string& name, const std::string& content) {
  return {name, [content](const std::string& path, const CancelFn&) { std::ofstream(path) << content; }};
}

std::vector<OutputFile> run_set(const std::string& tag) {
  return {text_file("a.txt", "a of " + tag), text_file("b.txt", "b of " + tag), text_file("c.txt", "c of " + tag)};
}

const std::map<std::string, std::string> kOld = {{"a.txt", "a of old"}, {"b.txt", "b of old"}, {"c.txt", "c of old"}};

bool not_ours(const std::string& name) { return name != "a.txt" && name != "b.txt" && name != "c.txt"; }

// A sub-folder the set owns (a several-venue run's venues/): written into, replaced with the
// folder, carried whole when the new set writes nothing into it and carry accepts it.
TEST(OutputSet, AnOwnedSubFolderIsWrittenReplacedOrCarriedWhole) {
  const Sandbox box("owned");
  OutputSet(box.out.string(), {"venues"})
      .write_and_commit({text_file("a.txt", "agg"), text_file("venues/x/a.txt", "x"), text_file("venues/y/a.txt", "y")});
  EXPECT_EQ(slurp(box.out / "venues" / "y" / "a.txt"), "y");
  // Without the owned name the folder is refused, as any sub-folder.
  EXPECT_THROW(OutputSet(box.out.string()), Error);
  // A render in place: venues/ carried over by hard links.
  OutputSet(box.out.string(), {"venues"}).write_and_commit({text_file("a.txt", "redrawn")}, {},
                                                            [](const std::string&) { return true; });
  EXPECT_EQ(slurp(box.out / "a.txt"), "redrawn");
  EXPECT_EQ(slurp(box.out / "venues" / "x" / "a.txt"), "x");
  // A new run with other venues replaces the folder whole: y is gone.
  OutputSet(box.out.string(), {"venues"}).write_and_commit({text_file("venues/x/a.txt", "x2")}, {},
                                                            [](const std::string&) { return true; });
  EXPECT_EQ(slurp(box.out / "venues" / "x" / "a.txt"), "x2");
  EXPECT_FALSE(fs::exists(box.out / "venues" / "y"));
  // A run that writes no venues and does not carry them drops them.
  OutputSet(box.out.string(), {"venues"}).write_and_commit({text_file("a.txt", "one market")}, {},
                                                            [](const std::string& name) { return name != "venues"; });
  EXPECT_FALSE(fs::exists(box.out / "venues"));
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, WritesAWholeSetIntoANewFolderAndLeavesNoStaging) {
  const Sandbox box("new");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  EXPECT_EQ(box.files(), kOld);
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, ReplacesTheOldSetAtOnceAndKeepsOnlyTheUsersOwnFiles) {
  const Sandbox box("replace");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  std::ofstream(box.out / "notes.md") << "mine";
  OutputSet next(box.out.string());
  // Until the switch, a reader of the folder sees the old set only.
  next.before_switch = [&] {
    auto seen = box.files();
    seen.erase("notes.md");
    EXPECT_EQ(seen, kOld);
  };
  next.write_and_commit({text_file("a.txt", "a of new"), text_file("b.txt", "b of new")}, {}, not_ours);
  const std::map<std::string, std::string> expected = {{"a.txt", "a of new"}, {"b.txt", "b of new"}, {"notes.md", "mine"}};
  EXPECT_EQ(box.files(), expected);  // c.txt of the old run is not mixed in; the user's notes stay
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, ARenderInPlaceCarriesTheRunsOtherFiles) {
  const Sandbox box("carry");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  OutputSet(box.out.string()).write_and_commit({text_file("b.txt", "b redrawn")});
  const std::map<std::string, std::string> expected = {{"a.txt", "a of old"}, {"b.txt", "b redrawn"}, {"c.txt", "c of old"}};
  EXPECT_EQ(box.files(), expected);
}

TEST(OutputSet, AFailingWriterLeavesTheOldSetAsItWas) {
  const Sandbox box("fail");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  auto files = run_set("new");
  files.push_back({"d.txt", [](const std::string&, const CancelFn&) { throw Error(ErrorCode::io, "disk full"); }});
  EXPECT_THROW(OutputSet(box.out.string()).write_and_commit(files, {}, {}, 1), Error);
  EXPECT_EQ(box.files(), kOld);
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, ACancelWhileWritingThrowsCancelledAndLeavesTheOldSet) {
  const Sandbox box("cancel");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  // The "Ctrl-C" arrives while the second file is written: polled by that writer and between files.
  bool interrupted = false;
  std::vector<OutputFile> files = run_set("new");
  files[1].write = [&](const std::string& path, const CancelFn& cancelled) {
    std::ofstream(path) << "half";
    interrupted = true;
    detail::throw_if_cancelled(cancelled);
  };
  try {
    OutputSet(box.out.string()).write_and_commit(files, [&] { return interrupted; }, {}, 1);
    FAIL() << "no cancel";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  EXPECT_EQ(box.files(), kOld);
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, ACancelAfterTheLastFileStillSwitchesNothing) {
  const Sandbox box("cancel-late");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  std::size_t written = 0;
  std::vector<OutputFile> files = run_set("new");
  for (auto& f : files) {
    auto inner = f.write;
    f.write = [inner, &written](const std::string& p, const CancelFn& c) { inner(p, c), ++written; };
  }
  EXPECT_THROW(OutputSet(box.out.string()).write_and_commit(files, [&] { return written == files.size(); }, {}, 1),
               Error);
  EXPECT_EQ(written, files.size());
  EXPECT_EQ(box.files(), kOld);
}

TEST(OutputSet, TwoRunsIntoOneFolderLeaveOneWholeSet) {
  const Sandbox box("two-runs");
  OutputSet first(box.out.string()), second(box.out.string());
  EXPECT_NE(first.staging(), second.staging());
  // The second run writes and switches in while the first is between its writes and its switch.
  first.before_switch = [&] { second.write_and_commit(run_set("second"), {}, not_ours); };
  first.write_and_commit(run_set("first"), {}, not_ours);
  const std::map<std::string, std::string> expected = {{"a.txt", "a of first"}, {"b.txt", "b of first"}, {"c.txt", "c of first"}};
  EXPECT_EQ(box.files(), expected);
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, StaleStagingOfAKilledRunIsRemovedALiveOneIsKept) {
  const Sandbox box("stale");
  const fs::path dead = box.parent / ".liqmap-staging-out-999999-0-1";
  fs::create_directories(dead);
  std::ofstream(dead / "heatmap.npy") << "partial";
  std::ofstream(dead.string() + ".lock") << "";
  const fs::path live = box.parent / ".liqmap-staging-out-1-0-2";
  fs::create_directories(live);
  const std::string live_lock = live.string() + ".lock";
  const int fd = ::open(live_lock.c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // its run still lives

  OutputSet(box.out.string()).write_and_commit(run_set("new"));
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(dead.string() + ".lock"));
  EXPECT_TRUE(fs::exists(live));
  ::close(fd);  // the run ends without cleaning up (killed)
  EXPECT_EQ(detail::remove_stale_staging(box.parent.string()), 1u);
  EXPECT_FALSE(fs::exists(live));
}

TEST(OutputSet, StagingOfAnOlderVersionInsideTheFolderGoesWithTheOldSet) {
  const Sandbox box("old-style");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  fs::create_directories(box.out / ".liqmap-staging-12345");
  OutputSet(box.out.string()).write_and_commit(run_set("new"), {}, not_ours);
  EXPECT_FALSE(fs::exists(box.out / ".liqmap-staging-12345"));
  EXPECT_EQ(box.files().size(), 3u);
}

TEST(OutputSet, RefusesUpFrontWhatItCannotReplace) {
  const Sandbox box("refuse");
  fs::create_directories(box.out / "photos");
  try {
    OutputSet set(box.out.string());
    FAIL() << "a folder with a sub-folder was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("sub-folder 'photos'"), std::string::npos) << e.what();
  }
  std::ofstream(box.parent / "file") << "x";
  EXPECT_THROW(OutputSet((box.parent / "file").string()), Error);            // not a folder
  EXPECT_THROW(OutputSet((box.parent / "file" / "out").string()), Error);    // parent is a file
  EXPECT_THROW(OutputSet("/"), Error);
  EXPECT_TRUE(fs::exists(box.out / "photos"));
  EXPECT_EQ(box.staging_entries(), 0u);
}

TEST(OutputSet, RefusesAMountPointUpFront) {
  struct stat shm {}, dev {};
  if (::stat("/dev/shm", &shm) != 0 || ::stat("/dev", &dev) != 0 || shm.st_dev == dev.st_dev)
    GTEST_SKIP() << "/dev/shm is not a mount point here";
  try {
    OutputSet set("/dev/shm");
    FAIL() << "a mount point was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mount point"), std::string::npos) << e.what();
  }
}

TEST(OutputSet, FollowsALinkToTheFolderAndKeepsTheLink) {
  const Sandbox box("link");
  OutputSet(box.out.string()).write_and_commit(run_set("old"));
  fs::create_directory_symlink(box.out, box.parent / "latest");
  OutputSet((box.parent / "latest").string()).write_and_commit(run_set("new"), {}, not_ours);
  EXPECT_TRUE(fs::is_symlink(box.parent / "latest"));
  EXPECT_EQ(slurp(box.parent / "latest" / "a.txt"), "a of new");
}

TEST(OutputSet, WritesInParallelAndReportsTheFirstError) {
  const Sandbox box("parallel");
  std::vector<OutputFile> files;
  for (int i = 0; i < 16; ++i) files.push_back(text_file("f" + std::to_string(i), std::to_string(i)));
  OutputSet(box.out.string()).write_and_commit(files, {}, {}, 4);
  EXPECT_EQ(box.files().size(), 16u);
  EXPECT_EQ(slurp(box.out / "f7"), "7");
}

TEST(AtomicFile, TwoWritersOfOnePathNeverShareATemporaryAndTheLastCommitWinsWhole) {
  const Sandbox box("file");
  const std::string path = (box.parent / "market.csv").string();
  AtomicFile first(path), second(path);
  EXPECT_NE(first.temporary(), second.temporary());
  first.stream() << "ts,open\n1,";  // interleaved writes, as two synth runs would do
  second.stream() << "ts,open\n2,20\n";
  first.stream() << "10\n";
  second.commit();
  EXPECT_EQ(slurp(path), "ts,open\n2,20\n");
  first.commit();
  EXPECT_EQ(slurp(path), "ts,open\n1,10\n");
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(box.parent)) entries += !e.path().empty();
  EXPECT_EQ(entries, 1u);  // no temporary left
}

TEST(AtomicFile, AKilledWritersTemporaryIsRemovedALiveOnesIsKept) {
  const Sandbox box("partials");
  const fs::path path = box.parent / "market.csv";
  std::ofstream(path.string() + ".liqmap-partial-AbC123") << "half of a killed run";  // no lock held
  std::ofstream(box.parent / "market.csv.bak") << "not ours";
  AtomicFile live(path.string());
  EXPECT_FALSE(fs::exists(path.string() + ".liqmap-partial-AbC123"));
  EXPECT_TRUE(fs::exists(box.parent / "market.csv.bak"));
  EXPECT_EQ(detail::remove_stale_partials(path.string()), 0u);  // the live writer's lock holds
  EXPECT_TRUE(fs::exists(live.temporary()));
  live.stream() << "whole";
  live.commit();
  EXPECT_EQ(slurp(path), "whole");
}

TEST(AtomicFile, AnAbandonedFileLeavesTheTargetAndNoTemporary) {
  const Sandbox box("abandon");
  const fs::path path = box.parent / "market.csv";
  std::ofstream(path) << "old";
  {
    AtomicFile file(path.string());
    file.stream() << "new but unfinished";
  }
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(box.parent), fs::directory_iterator()), 1);
}

}  // namespace
