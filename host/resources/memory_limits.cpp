// Where a process's memory limit comes from on Linux: the machine (MemAvailable), every cgroup
// above the process (v2 memory.max, v1 memory.limit_in_bytes, each level of a nested tree) and
// its address-space limit (RLIMIT_AS). Read under a root folder that tests replace.
#include "resources/memory_budget.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace liqmap::detail {
namespace {

namespace fs = std::filesystem;

// A v1 limit this large (PAGE_COUNTER_MAX, rounded to pages) means none.
constexpr double kUnlimitedV1 = 0x1p62;

bool read_number(const fs::path& file, double& value) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text)) return false;
  try {
    std::size_t used = 0;
    value = std::stod(text, &used);
    return used == text.size() && value >= 0;
  } catch (...) {
    return false;
  }
}

// The value of `key` in a "key value" file (memory.stat), or 0.
double stat_value(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::string name;
  double value = 0;
  while (in >> name >> value)
    if (name == key) return value;
  return 0;
}

// "MemAvailable:  123456 kB" -> bytes; negative when absent.
double meminfo_available(const fs::path& root) {
  std::ifstream in(root / "proc/meminfo");
  std::string key, unit;
  double kb = 0;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kb * 1024;
  }
  return -1;
}

struct CgroupMount {
  std::string point = "", root = "/";  // where it is mounted, and the cgroup path it shows there
};

// The cgroup2 mount and the v1 memory controller's mount, from /proc/self/mountinfo:
// "36 25 0:31 /ROOT /MOUNT_POINT rw,... - cgroup cgroup rw,memory".
void find_mounts(const fs::path& root, CgroupMount& v2, CgroupMount& v1) {
  std::ifstream in(root / "proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, mount_root, point, word;
    fields >> id >> parent >> device >> mount_root >> point;
    while (fields >> word && word != "-") {
    }
    std::string type, source, options;
    fields >> type >> source >> options;
    if (type == "cgroup2" && v2.point.empty()) v2 = {point, mount_root};
    if (type == "cgroup" && v1.point.empty() && ("," + options + ",").find(",memory,") != std::string::npos)
      v1 = {point, mount_root};
  }
}

// The folders of the process's cgroup and every cgroup above it up to the mount, lowest first.
// A cgroup path outside what the mount shows (a container without its own cgroup namespace)
// is read from the mount's top, the container's own cgroup.
std::vector<std::string> cgroup_levels(const fs::path& root, const CgroupMount& mount, const std::string& path) {
  std::string relative = path;
  if (mount.root != "/" && relative.compare(0, mount.root.size(), mount.root) == 0)
    relative = relative.substr(mount.root.size());
  fs::path dir = fs::path(mount.point) / fs::path(relative).relative_path();
  if (!fs::is_directory(root / dir.relative_path())) dir = mount.point;
  const fs::path top = fs::path(mount.point).lexically_normal();
  fs::path at = dir.lexically_normal();
  if (!at.has_filename()) at = at.parent_path();  // "/sys/fs/cgroup/" of the path "/"
  std::vector<std::string> levels{at.string()};
  while (at != top && at.has_relative_path()) {
    at = at.parent_path();
    levels.push_back(at.string());
  }
  return levels;
}

}  // namespace

MemoryAvailable available_memory(const MemoryProbe& probe) {
  const fs::path root = probe.root.empty() ? fs::path("/") : fs::path(probe.root);
  MemoryAvailable best{-1, ""};
  const auto consider = [&best](double bytes, const std::string& source) {
    if (bytes >= 0 && (best.bytes < 0 || bytes < best.bytes)) best = {std::max(0.0, bytes), source};
  };
  consider(meminfo_available(root), "MemAvailable in /proc/meminfo");

  CgroupMount v2, v1;
  find_mounts(root, v2, v1);
  if (v2.point.empty() && v1.point.empty()) {  // no mountinfo: the usual places
    v2.point = "/sys/fs/cgroup";
    v1.point = "/sys/fs/cgroup/memory";
  }
  std::ifstream groups(root / "proc/self/cgroup");
  std::string line;
  while (std::getline(groups, line)) {
    // "0::/PATH" (v2) or "4:memory:/PATH" (v1, controllers comma-separated).
    const std::size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1), path = line.substr(second + 1);
    const bool is_v2 = line.compare(0, first, "0") == 0 && controllers.empty();
    const bool is_v1 = ("," + controllers + ",").find(",memory,") != std::string::npos;
    if ((is_v2 && !v2.point.empty()) || (is_v1 && !v1.point.empty())) {
      const CgroupMount& mount = is_v2 ? v2 : v1;
      const char* max_name = is_v2 ? "memory.max" : "memory.limit_in_bytes";
      const char* used_name = is_v2 ? "memory.current" : "memory.usage_in_bytes";
      const char* cache_name = is_v2 ? "inactive_file" : "total_inactive_file";
      for (const std::string& level : cgroup_levels(root, mount, path)) {
        const fs::path dir = root / fs::path(level).relative_path();
        double limit = 0, used = 0;
        if (!read_number(dir / max_name, limit) || (!is_v2 && limit >= kUnlimitedV1)) continue;  // "max": none
        if (!read_number(dir / used_name, used)) used = 0;
        // Inactive page cache is given back before the cgroup's OOM killer runs.
        used = std::max(0.0, used - stat_value(dir / "memory.stat", cache_name));
        consider(limit - used, "the cgroup's " + std::string(max_name) + " less its use in " + level);
      }
    }
  }

  double address_space = probe.address_space_limit;
  if (address_space < 0) {
    rlimit limit{};
    address_space = ::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY ? double(limit.rlim_cur) : -1;
  }
  if (address_space >= 0) {
    double vm_kb = 0;  // VmSize: what the process has mapped already counts against RLIMIT_AS
    std::ifstream status(root / "proc/self/status");
    std::string key;
    while (status >> key) {
      if (key == "VmSize:") {
        status >> vm_kb;
        break;
      }
      std::getline(status, key);
    }
    consider(address_space - vm_kb * 1024, "RLIMIT_AS (ulimit -v) less the process's VmSize");
  }

  if (best.bytes < 0) {
    const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) best = {double(pages) * double(page), "sysconf(_SC_AVPHYS_PAGES)"};
  }
  return best;
}

}  // namespace liqmap::detail
