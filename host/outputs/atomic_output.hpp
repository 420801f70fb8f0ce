// Output files that appear whole or not at all. A leaf module: it knows files and folders, not
// what is written in them.
//
// A set of files (OutputSet) is written into a fresh staging folder beside the output folder and
// then switched in with one rename (an exchange of the two folders on Linux), so a reader, a kill
// or a second run never sees old and new files mixed. Staging folders of killed runs are found by
// their lock (held while a run lives) and removed by the next run into the same parent folder.
// One file (AtomicFile) is written under a unique name beside its target and renamed over it.
// New files are synced to the disk before the switch, and the folder that names them after it.
#pragma once

#include <cstddef>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace liqmap::detail {

// Polled between files and inside long writers; true = stop (the writer throws Error(cancelled)).
using CancelFn = std::function<bool()>;

// One output file: its name and a function that writes it at the path it is given.
struct OutputFile {
  std::string name;
  std::function<void(const std::string& path, const CancelFn& cancelled)> write;
};

// Test hook: called with each file and folder about to be synced (fsync).
extern std::function<void(const std::string& path)> on_sync;

// Throws Error(cancelled) when `cancelled` is set and says stop.
void throw_if_cancelled(const CancelFn& cancelled);

class OutputSet {
 public:
  // Checks that `dir` can be replaced (a missing or empty folder, or a writable one holding only
  // files and links; not the current folder) and that its parent is writable, removes stale staging folders there and creates this run's.
  // Call it before the long computation so a bad --out costs nothing. Throws Error(io).
  // `owned_subfolders` (names of sub-folders such as "venues") belong to the set: they may be
  // in `dir`, are replaced with it, and are carried whole when the new set writes nothing
  // into them and `carry` accepts their name. A file name may then hold "sub-folder/name".
  explicit OutputSet(const std::string& dir, std::set<std::string> owned_subfolders = {});
  ~OutputSet();  // removes the staging folder unless committed
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Writes the files into the staging folder, up to `threads` at once (0 = hardware threads),
  // then switches the set in. Files of the old folder that the new set does not write and that
  // `carry` accepts (all when it is empty: a render's inputs, the user's own notes) are carried
  // over by hard link. On an error or a cancel the old folder is left as it was and the error is
  // rethrown.
  void write_and_commit(const std::vector<OutputFile>& files, const CancelFn& cancelled = {},
                        const std::function<bool(const std::string& name)>& carry = {}, unsigned threads = 0);

  const std::string& dir() const { return dir_; }
  const std::string& staging() const { return staging_; }

  // Test hook: called after the files are written and before the switch.
  std::function<void()> before_switch;

 private:
  void commit();

  std::string dir_, staging_;
  std::set<std::string> owned_;
  int lock_fd_ = -1;
  bool committed_ = false;
};

// Removes staging folders in `parent` whose run is gone (their lock is free); returns how many.
std::size_t remove_stale_staging(const std::string& parent);

// Removes temporaries of `path` (below) whose writer is gone (their lock is free); returns how many.
std::size_t remove_stale_partials(const std::string& path);

// One file written under a unique name beside `path` and renamed over it by commit(); a `path`
// that is a device, FIFO, socket or folder is refused (Error(io)), a link is followed. Two writers
// of the same path never share a temporary, so the last commit wins with a whole file. The
// temporary is locked while its writer lives; a killed writer's is removed by the next one.
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();  // removes the temporary unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ofstream& stream() { return out_; }
  const std::string& temporary() const { return temporary_; }
  void commit();  // flushes, checks and renames; throws Error(io)

 private:
  std::string path_, temporary_;
  int lock_fd_ = -1;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace liqmap::detail
