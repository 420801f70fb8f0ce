#include "outputs/atomic_output.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "liqmap/error.hpp"

namespace liqmap::detail {
namespace fs = std::filesystem;

namespace {

constexpr const char* kStagingPrefix = ".liqmap-staging-";
constexpr const char* kPartialInfix = ".liqmap-partial-";

bool is_staging_name(const std::string& name) { return name.rfind(kStagingPrefix, 0) == 0; }

std::string lock_path_of(const std::string& staging) { return staging + ".lock"; }

[[noreturn]] void fail(const std::string& what, int error) {
  throw Error(ErrorCode::io, what + ": " + std::strerror(error));
}

// "a FIFO", "a socket"...: what an entry that is not a file, a link or a folder is, for messages.
const char* kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::symlink: return "a symbolic link";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    default: return "not a regular file";
  }
}

// A tree of ours, removed even where a folder in it was made read-only (else a hidden copy of
// an old set would stay behind every run).
void remove_tree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (!ec || !fs::exists(fs::symlink_status(path, ec))) return;
  ::chmod(path.c_str(), 0700);
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  fs::remove_all(path, ec);
}

// fsync of one file or folder. A file whose data may not be on the disk is an error; a file
// system that cannot sync a folder (EINVAL) is not.
void sync_path(const std::string& path, bool folder) {
  if (on_sync) on_sync(path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) {
    if (folder) return;
    fail("cannot open '" + path + "' to sync it", errno);
  }
  const int result = ::fsync(fd), error = errno;
  ::close(fd);
  if (result != 0 && error != EINVAL && error != EROFS) fail("cannot sync '" + path + "' to the disk", error);
}

// The files under `root` (when `files`) and then every folder, deepest first, so that a folder
// is synced after the entries it names.
void sync_tree(const fs::path& root, bool files) {
  std::error_code ec;
  std::vector<fs::path> folders{root};
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::file_type type = it->symlink_status(ec).type();
    if (type == fs::file_type::directory) folders.push_back(it->path());
    else if (files && type == fs::file_type::regular) sync_path(it->path().string(), false);
  }
  if (ec) fail("cannot list '" + root.string() + "' to sync it", ec.value());
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) sync_path(it->string(), true);
}

// A run must not replace the folder it stands in (`--out .`): the shell would be left in a
// removed folder, with the old set gone under it.
void refuse_current_folder(const fs::path& dir, const std::string& shown) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  for (fs::path at = fs::current_path(ec); !ec && !at.empty(); at = at.parent_path()) {
    if (fs::equivalent(at, dir, ec))
      throw Error(ErrorCode::io, "the output folder '" + shown + "' is the current folder" +
                                     (at == fs::current_path(ec) ? "" : " or holds it") +
                                     "; liqmap replaces the output folder as a whole, so give a folder of its own "
                                     "(e.g. --out " + (shown == "." ? std::string("map") : shown + "/map") + ")");
    if (at == at.root_path()) break;
  }
}

// The folder as the switch will see it: absolute, with a symbolic link followed to its target
// (the link stays, the folder it names is replaced).
fs::path resolve_output_dir(const std::string& dir) {
  if (dir.empty()) throw Error(ErrorCode::invalid_argument, "the output folder is empty (--out)");
  std::error_code ec;
  fs::path path = fs::absolute(dir, ec).lexically_normal();
  if (ec) fail("cannot resolve the output folder '" + dir + "'", ec.value());
  if (!path.has_filename()) path = path.parent_path();
  if (fs::symlink_status(path, ec).type() == fs::file_type::symlink) path = fs::canonical(path, ec);
  else ec.clear();
  if (ec) fail("cannot follow the output folder '" + dir + "'", ec.value());
  if (path == path.root_path())
    throw Error(ErrorCode::invalid_argument, "'" + dir + "' cannot be an output folder: it is the root");
  return path;
}

// A folder is replaced as a whole, so it may hold only files (ours or the user's, carried over).
void check_replaceable(const fs::path& dir, const std::string& shown, const std::set<std::string>& owned) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) return;
  if (ec) fail("cannot inspect the output folder '" + shown + "'", ec.value());
  if (status.type() != fs::file_type::directory)
    throw Error(ErrorCode::io, "the output folder '" + shown + "' exists and is not a folder");
  struct stat self {}, parent {};
  if (::stat(dir.c_str(), &self) == 0 && ::stat(dir.parent_path().c_str(), &parent) == 0 && self.st_dev != parent.st_dev)
    throw Error(ErrorCode::io, "the output folder '" + shown + "' is a mount point, which cannot be switched as a "
                               "whole: give a folder inside it");
  // A read-only folder is the user's way of keeping it: never replaced behind their back.
  if (::access(dir.c_str(), W_OK) != 0 || (self.st_mode & S_IWUSR) == 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(self.st_mode & 07777));
    throw Error(ErrorCode::io, "the output folder '" + shown + "' is read-only (mode " + mode +
                                   "); liqmap replaces it as a whole, so make it writable (chmod u+w) or give another");
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_staging_name(name)) continue;  // left by an older liqmap; goes with the old folder
    const fs::file_type type = entry.symlink_status(ec).type();
    if (type == fs::file_type::directory && !owned.count(name))
      throw Error(ErrorCode::io, "the output folder '" + shown + "' holds the sub-folder '" + name +
                                     "'; liqmap replaces the folder as a whole, so give it a folder of its own");
    if (type != fs::file_type::directory && type != fs::file_type::regular && type != fs::file_type::symlink)
      throw Error(ErrorCode::io, "the output folder '" + shown + "' holds '" + name + "', " + kind_of(type) +
                                     "; liqmap replaces the folder as a whole and carries only files and links, "
                                     "so move it out or give another folder");
  }
  if (ec) fail("cannot list the output folder '" + shown + "'", ec.value());
}

// A sub-folder of the set's own, carried whole (hard links) when the new set does not write it.
void link_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) fail("cannot carry '" + from.string() + "' over to the new outputs", ec.value());
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    const fs::path target = to / entry.path().filename();
    if (entry.is_directory(ec)) link_tree(entry.path(), target);
    else if (::link(entry.path().c_str(), target.c_str()) != 0) fs::copy_file(entry.path(), target, ec);
    if (ec) fail("cannot carry '" + entry.path().string() + "' over to the new outputs", ec.value());
  }
}

bool writes_into(const std::set<std::string>& written, const std::string& folder) {
  const auto first = written.lower_bound(folder + "/");
  return first != written.end() && first->compare(0, folder.size() + 1, folder + "/") == 0;
}

// Carries the old folder's files that the new set does not write into the staging folder.
void carry_over(const fs::path& dir, const fs::path& staging, const std::set<std::string>& written,
                const std::function<bool(const std::string&)>& carry, const std::set<std::string>& owned) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (written.count(name) || is_staging_name(name) || (carry && !carry(name))) continue;
    const fs::path to = staging / name;
    if (owned.count(name) && entry.is_directory(ec)) {
      if (!writes_into(written, name)) link_tree(entry.path(), to);
      continue;
    }
    if (entry.is_symlink(ec)) {
      fs::create_symlink(fs::read_symlink(entry.path(), ec), to, ec);
    } else if (entry.is_regular_file(ec)) {
      if (::link(entry.path().c_str(), to.c_str()) != 0) fs::copy_file(entry.path(), to, ec);
    } else {
      throw Error(ErrorCode::io, "the output folder '" + dir.string() + "' gained '" + name + "', " +
                                     kind_of(entry.symlink_status(ec).type()) + ", during the run; nothing was replaced");
    }
    if (ec) fail("cannot carry '" + entry.path().string() + "' over to the new outputs", ec.value());
  }
  if (ec) fail("cannot list the output folder '" + dir.string() + "'", ec.value());
}

// Puts `staging` at `dir` in one step; afterwards `staging` holds the old folder (if any).
void switch_in(const fs::path& staging, const fs::path& dir) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) return;
    if (errno == ENOENT) {  // no folder yet: a plain rename that must not replace one made meanwhile
      if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE) == 0) return;
      if (errno == EEXIST || errno == ENOTEMPTY) continue;
      if (errno != EINVAL && errno != ENOSYS) fail("cannot move the outputs into '" + dir.string() + "'", errno);
    } else if (errno != EINVAL && errno != ENOSYS) {
      fail("cannot switch the outputs into '" + dir.string() + "'", errno);
    }
    // A file system without renameat2: the old folder steps aside, then the new one moves in.
    // The folder is missing for an instant but never mixed.
    const fs::path aside = staging.string() + "-old";
    const bool had_old = ::rename(dir.c_str(), aside.c_str()) == 0;
    if (::rename(staging.c_str(), dir.c_str()) != 0) {
      const int error = errno;
      if (had_old) ::rename(aside.c_str(), dir.c_str());
      fail("cannot move the outputs into '" + dir.string() + "'", error);
    }
    if (had_old) ::rename(aside.c_str(), staging.c_str());
    return;
  }
  throw Error(ErrorCode::io, "cannot switch the outputs into '" + dir.string() + "': it keeps changing");
}

// True when `fd` is still the file at `path`: a cleaner may have removed a lock file (an orphan,
// to its eyes) between its creation and its flock.
bool still_at(int fd, const std::string& path) {
  struct stat held {}, named {};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
         held.st_ino == named.st_ino;
}

// Locks a new staging folder's lock file and creates the folder, in that order, so a cleaner
// never sees a folder whose lock is free while its run lives.
int create_locked_staging(const fs::path& staging) {
  const std::string lock = lock_path_of(staging.string());
  const auto give_up = [&](int fd, int error) {
    ::close(fd);
    ::unlink(lock.c_str());
    fail("cannot create the staging folder '" + staging.string() + "'", error);
  };
  for (int attempt = 0; attempt < 8; ++attempt) {
    const int fd = ::open(lock.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot write in '" + staging.parent_path().string() + "' (the output folder's parent)", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) give_up(fd, errno);
    if (!still_at(fd, lock)) {  // removed by a cleaner before the flock: make it again
      ::close(fd);
      continue;
    }
    if (::mkdir(staging.c_str(), 0777) != 0) give_up(fd, errno);
    return fd;
  }
  throw Error(ErrorCode::io, "cannot lock '" + lock + "': it keeps being removed");
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(now % 1000000007);
}

void remove_staging(const std::string& staging, int lock_fd) {
  remove_tree(staging);
  ::unlink(lock_path_of(staging).c_str());
  if (lock_fd >= 0) ::close(lock_fd);
}

// An exclusive flock on a folder while it lives; none where the folder cannot be opened.
class ParentLock {
 public:
  explicit ParentLock(const fs::path& folder) : fd_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~ParentLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  ParentLock(const ParentLock&) = delete;
  ParentLock& operator=(const ParentLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::function<void(const std::string& path)> on_sync;

void throw_if_cancelled(const CancelFn& cancelled) {
  if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "cancelled while writing the outputs");
}

std::size_t remove_stale_staging(const std::string& parent) {
  std::size_t removed = 0;
  std::error_code ec;
  std::vector<fs::path> candidates;
  std::vector<fs::path> orphan_locks;  // a lock whose folder was never made or is removed already
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_staging_name(name)) continue;
    const fs::file_type type = entry.symlink_status(ec).type();
    if (type == fs::file_type::directory) {
      candidates.push_back(entry.path());
    } else if (type == fs::file_type::regular && name.size() > 5 && name.compare(name.size() - 5, 5, ".lock") == 0) {
      const fs::path folder = entry.path().parent_path() / name.substr(0, name.size() - 5);
      if (!fs::exists(fs::symlink_status(folder, ec))) orphan_locks.push_back(entry.path());
    }
  }
  for (const fs::path& lock : orphan_locks) {
    const int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && still_at(fd, lock.string())) {  // its run is gone
      ::unlink(lock.c_str());
      ++removed;
    }
    ::close(fd);
  }
  for (const fs::path& staging : candidates) {
    const std::string lock = lock_path_of(staging.string());
    const int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // its run still lives
      ::close(fd);
      continue;
    }
    remove_staging(staging.string(), fd);
    ++removed;
  }
  return removed;
}

OutputSet::OutputSet(const std::string& dir, std::set<std::string> owned_subfolders)
    : owned_(std::move(owned_subfolders)) {
  const fs::path path = resolve_output_dir(dir);
  dir_ = path.string();
  refuse_current_folder(path, dir);
  check_replaceable(path, dir, owned_);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) fail("cannot create the output folder's parent '" + path.parent_path().string() + "'", ec.value());
  remove_stale_staging(path.parent_path().string());
  const fs::path staging = path.parent_path() / (kStagingPrefix + path.filename().string() + "-" + unique_suffix());
  lock_fd_ = create_locked_staging(staging);
  staging_ = staging.string();
}

OutputSet::~OutputSet() {
  if (!committed_) remove_staging(staging_, lock_fd_);
}

void OutputSet::write_and_commit(const std::vector<OutputFile>& files, const CancelFn& cancelled,
                                 const std::function<bool(const std::string&)>& carry, unsigned threads) {
  if (committed_) throw Error(ErrorCode::internal, "an output set is committed only once");
  std::set<std::string> names;
  for (const OutputFile& f : files)
    if (!names.insert(f.name).second) throw Error(ErrorCode::internal, "output file '" + f.name + "' twice in one set");

  for (const OutputFile& f : files) {  // sub-folders first, not raced by the workers
    const fs::path parent = (fs::path(staging_) / f.name).parent_path();
    if (parent == fs::path(staging_)) continue;
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) fail("cannot create '" + parent.string() + "'", ec.value());
  }
  // Each worker takes the next file; the first error stops the others at their next file.
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(files.size(), 1)));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  const CancelFn stop = [&] { return failed.load() || (cancelled && cancelled()); };
  auto work = [&] {
    for (std::size_t i; !failed.load() && (i = next++) < files.size();) {
      try {
        throw_if_cancelled(cancelled);
        files[i].write((fs::path(staging_) / files[i].name).string(), stop);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
  throw_if_cancelled(cancelled);
  sync_tree(staging_, true);  // the new files on the disk before the folder that names them moves

  if (before_switch) before_switch();
  // The carry-over and the switch under the parent's lock: a backtest and a cascade finishing
  // into one folder at once each carry the other's files instead of dropping them.
  const ParentLock lock(fs::path(dir_).parent_path());
  carry_over(dir_, staging_, names, carry, owned_);
  sync_tree(staging_, false);  // the carried links' names
  commit();
}

void OutputSet::commit() {
  struct stat old {};
  if (::stat(dir_.c_str(), &old) == 0) ::chmod(staging_.c_str(), old.st_mode & 07777);
  switch_in(staging_, dir_);
  committed_ = true;
  sync_path(fs::path(dir_).parent_path().string(), true);  // the switch itself, durable
  remove_staging(staging_, lock_fd_);  // now the old folder
  lock_fd_ = -1;
}

std::size_t remove_stale_partials(const std::string& path) {
  const fs::path target(path);
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = target.filename().string() + kPartialInfix;
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) removed += ::unlink(entry.path().c_str()) == 0;  // its writer is gone
    ::close(fd);
  }
  return removed;
}

namespace {

// What a file written by rename may replace: nothing, or a regular file. A link is followed (the
// link stays and the file it names is replaced); a device, FIFO, socket or folder is refused, so
// that `--out /dev/null` never replaces the system's /dev/null with a file.
std::string file_target(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::symlink_status(path, ec);
  if (status.type() == fs::file_type::not_found) return path;
  if (ec) fail("cannot inspect '" + path + "'", ec.value());
  std::string target = path;
  if (status.type() == fs::file_type::symlink) {
    target = fs::canonical(path, ec).string();
    if (ec) fail("'" + path + "' is a symbolic link that leads nowhere usable", ec.value());
    status = fs::symlink_status(target, ec);
  }
  if (status.type() != fs::file_type::regular)
    throw Error(ErrorCode::io, "'" + path + "' exists and is " +
                                   (target == path ? std::string(kind_of(status.type()))
                                                   : "a link to " + std::string(kind_of(status.type()))) +
                                   ", not a regular file; liqmap writes a new file and renames it into place, so "
                                   "give the path of a file (or - for standard output where the command takes it)");
  return target;
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(file_target(path)) {
  remove_stale_partials(path_);
  for (int attempt = 0; attempt < 8 && lock_fd_ < 0; ++attempt) {
    std::string name = path_ + kPartialInfix + "XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) fail("cannot write beside '" + path_ + "'", errno);
    ::flock(fd, LOCK_EX);  // held while this writer lives: a later writer leaves it alone
    if (!still_at(fd, name)) {  // a cleaner took it for a killed writer's before the flock
      ::close(fd);
      continue;
    }
    lock_fd_ = fd;
    temporary_ = name;
  }
  if (lock_fd_ < 0) throw Error(ErrorCode::io, "cannot write beside '" + path_ + "': the temporary keeps being removed");
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(lock_fd_, 0666 & ~mask);  // mkstemp makes it private; the file gets the usual mode
  out_.open(temporary_, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out_) fail("cannot write '" + temporary_ + "'", errno);
}

AtomicFile::~AtomicFile() {
  if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void AtomicFile::commit() {
  out_.close();
  if (!out_) throw Error(ErrorCode::io, "writing '" + temporary_ + "' failed (disk full?)");
  if (on_sync) on_sync(temporary_);
  if (::fsync(lock_fd_) != 0 && errno != EINVAL) fail("cannot sync '" + temporary_ + "' to the disk", errno);
  file_target(path_);  // what became of the target meanwhile: still nothing or a file
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) fail("cannot rename '" + temporary_ + "' to '" + path_ + "'", errno);
  committed_ = true;
  const fs::path parent = fs::path(path_).parent_path();
  sync_path(parent.empty() ? "." : parent.string(), true);
}

}  // namespace liqmap::detail
