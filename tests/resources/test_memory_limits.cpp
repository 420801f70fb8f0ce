// The memory a job may use, read as the kernel will enforce it (issue 30, item 6): every level
// of a nested cgroup v2 tree, cgroup v1's memory controller, RLIMIT_AS; read from fake /proc and
// /sys trees. And the estimate of a run's outputs counts what they really take: a job of a
// million-bin kind stays under what it was checked against.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/map_outputs.hpp"
#include "app/standard_outputs.hpp"
#include "liqmap/config.hpp"
#include "report/report.hpp"
#include "resources/memory_budget.hpp"
#include "cli_run.hpp"

namespace {

namespace fs = std::filesystem;
using namespace liqmap;

constexpr double kMiB = 1024.0 * 1024.0;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A fake root: /proc/meminfo, /proc/self/{cgroup,mountinfo,status} and cgroup files under /sys.
class FakeRoot {
 public:
  explicit FakeRoot(const std::string& name)
      : root_(fs::temp_directory_path() / ("liqmap-fake-root-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    write("proc/meminfo", "MemTotal: 67108864 kB\nMemAvailable: 67108864 kB\n");  // 64 GiB
  }
  ~FakeRoot() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  void write(const std::string& path, const std::string& text) const {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << text;
  }
  detail::MemoryAvailable available(double address_space = INFINITY) const {
    return detail::available_memory({root_.string(), address_space});
  }

 private:
  fs::path root_;
};

const char* kV2Mounts = "24 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";

TEST(MemoryLimits, ANestedCgroupV2LimitAboveTheProcessBounds) {
  const FakeRoot root("v2-nested");
  root.write("proc/self/cgroup", "0::/user.slice/job/step\n");
  root.write("proc/self/mountinfo", kV2Mounts);
  // The process's own cgroup is unlimited; its grandparent has 512 MiB, 100 MiB of it used
  // (40 MiB of that inactive page cache, which the kernel takes back first).
  root.write("sys/fs/cgroup/user.slice/job/step/memory.max", "max\n");
  root.write("sys/fs/cgroup/user.slice/job/step/memory.current", "10485760\n");
  root.write("sys/fs/cgroup/user.slice/job/memory.max", "max\n");
  root.write("sys/fs/cgroup/user.slice/memory.max", "536870912\n");
  root.write("sys/fs/cgroup/user.slice/memory.current", "104857600\n");
  root.write("sys/fs/cgroup/user.slice/memory.stat", "anon 62914560\ninactive_file 41943040\n");
  const detail::MemoryAvailable a = root.available();
  EXPECT_DOUBLE_EQ(a.bytes, 512 * kMiB - 60 * kMiB);
  EXPECT_TRUE(has(a.source, "memory.max less its use in /sys/fs/cgroup/user.slice")) << a.source;
  EXPECT_FALSE(has(a.source, "step")) << a.source;
}

TEST(MemoryLimits, TheLowestLevelWinsAndTheMachineWhenNoCgroupLimits) {
  const FakeRoot root("v2-lowest");
  root.write("proc/self/cgroup", "0::/a/b\n");
  root.write("proc/self/mountinfo", kV2Mounts);
  root.write("sys/fs/cgroup/a/memory.max", "1073741824\n");
  root.write("sys/fs/cgroup/a/memory.current", "0\n");
  root.write("sys/fs/cgroup/a/b/memory.max", "268435456\n");
  root.write("sys/fs/cgroup/a/b/memory.current", "0\n");
  EXPECT_DOUBLE_EQ(root.available().bytes, 256 * kMiB);
  root.write("sys/fs/cgroup/a/memory.max", "max\n");
  root.write("sys/fs/cgroup/a/b/memory.max", "max\n");
  const detail::MemoryAvailable machine = root.available();
  EXPECT_DOUBLE_EQ(machine.bytes, 64 * 1024 * kMiB);
  EXPECT_EQ(machine.source, "MemAvailable in /proc/meminfo");
}

TEST(MemoryLimits, CgroupV1sMemoryControllerIsRead) {
  const FakeRoot root("v1");
  root.write("proc/self/cgroup", "5:cpu,cpuacct:/docker/c0ffee\n4:memory:/docker/c0ffee\n0::/\n");
  root.write("proc/self/mountinfo",
             "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
             "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
             "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
  root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");  // the root: none
  root.write("sys/fs/cgroup/memory/docker/c0ffee/memory.limit_in_bytes", "1073741824\n");
  root.write("sys/fs/cgroup/memory/docker/c0ffee/memory.usage_in_bytes", "314572800\n");
  root.write("sys/fs/cgroup/memory/docker/c0ffee/memory.stat", "cache 1\ntotal_inactive_file 104857600\n");
  const detail::MemoryAvailable a = root.available();
  EXPECT_DOUBLE_EQ(a.bytes, 1024 * kMiB - 200 * kMiB);
  EXPECT_TRUE(has(a.source, "memory.limit_in_bytes less its use in /sys/fs/cgroup/memory/docker/c0ffee")) << a.source;
}

TEST(MemoryLimits, AContainerSeesItsOwnCgroupAtTheMountsTop) {
  const FakeRoot root("container");
  root.write("proc/self/cgroup", "4:memory:/kubepods/pod1/c2\n");  // a host path the container does not show
  root.write("proc/self/mountinfo", "35 31 0:32 /kubepods/pod1/c2 /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n");
  root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n");
  root.write("sys/fs/cgroup/memory/memory.usage_in_bytes", "0\n");
  EXPECT_DOUBLE_EQ(root.available().bytes, 512 * kMiB);
}

TEST(MemoryLimits, TheAddressSpaceLimitLessWhatIsMappedBounds) {
  const FakeRoot root("rlimit");
  root.write("proc/self/status", "Name: liqmap\nVmPeak: 204800 kB\nVmSize: 102400 kB\n");
  const detail::MemoryAvailable a = root.available(2048 * kMiB);
  EXPECT_DOUBLE_EQ(a.bytes, 2048 * kMiB - 100 * kMiB);
  EXPECT_EQ(a.source, "RLIMIT_AS (ulimit -v) less the process's VmSize");
}

// Runs `command` through the shell; its exit code, and its peak resident set (bytes).
std::pair<int, double> run_measured(const std::string& command) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(child, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, double(usage.ru_maxrss) * 1024};
}

TEST(MemoryLimits, UnderUlimitVAJobTooLargeIsRefusedUpFrontNamingTheLimit) {
#if defined(LIQMAP_ASAN_BUILD)
  GTEST_SKIP() << "AddressSanitizer maps terabytes of shadow memory and doubles the heap: address-space limits and peak memory are the Release run's to check";
#endif
  const fs::path out = fs::temp_directory_path() / ("liqmap-rlimit-" + std::to_string(::getpid()));
  const fs::path err = out.string() + ".err";
  // 16,384 bins x 3,000 columns: 2 GB of grids against an address space of 1.5 GB. Before, the
  // check saw only MemAvailable and the run died in an allocation (or was OOM-killed).
  const auto [code, peak] =
      run_measured("ulimit -v 1500000 && " + std::string(LIQMAP_CLI) + " demo --steps 3000 --bins 16384 --samples 1 " +
                   "--backend cpu --threads 2 --out " + out.string() + " 2> " + err.string());
  const std::string message = liqmap::testing::slurp(err);
  EXPECT_EQ(code, 4) << message;
  EXPECT_TRUE(has(message, "out_of_memory")) << message;
  EXPECT_TRUE(has(message, "RLIMIT_AS (ulimit -v) less the process's VmSize")) << message;
  EXPECT_LT(peak, 400 * kMiB) << "refused after allocating";
  EXPECT_FALSE(fs::exists(out));
  fs::remove(err);
}

TEST(MemoryLimits, AMillionBinKindOfJobStaysUnderItsEstimate) {
#if defined(LIQMAP_ASAN_BUILD)
  GTEST_SKIP() << "AddressSanitizer maps terabytes of shadow memory and doubles the heap: address-space limits and peak memory are the Release run's to check";
#endif
  // 250,000 bins x 2 steps: the rasters were bins x width floats each (2.37 GB peak against an
  // estimate of 1.65 GB); the clusters' profiles 32 columns x bins a thread.
  const fs::path out = fs::temp_directory_path() / ("liqmap-estimate-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const auto [code, peak] = run_measured(std::string(LIQMAP_CLI) + " demo --steps 2 --bins 250000 --backend cpu " +
                                         "--threads 2 -q --out " + out.string());
  ASSERT_EQ(code, 0);
  EXPECT_TRUE(fs::exists(out / "heatmap.png") || !fs::exists(out / "heatmap.html"));
  Config config = default_config();
  config.grid.price_bins = 250000;
  const double engine = detail::engine_memory_bytes(250000, 2, 2, true);
  const double outputs = app::output_memory_bytes(config, app::OutputChoice{}, report::ReportOptions{});
  constexpr double kProgram = 96 * kMiB;  // the binary, its libraries, the market and the plan
  EXPECT_LT(peak, engine + outputs + kProgram) << "peak " << peak / kMiB << " MiB, estimated "
                                               << (engine + outputs) / kMiB << " MiB";
  fs::remove_all(out);
}

}  // namespace
