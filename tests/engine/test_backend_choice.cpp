// Backend choice and its error paths (MODEL.md, issue 7): `cuda` without a usable device is a
// device error that says why; `auto` falls back to the CPU and says why in the run summary.
#include <gtest/gtest.h>

#include <random>

#include "engine/backend.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

class WithoutDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    if (detail::find_backend("cuda").usable(reason_)) GTEST_SKIP() << "a CUDA device is usable: " << reason_;
  }
  std::string reason_;
};

Market small_market() {
  std::mt19937_64 rng(3);
  return test_support::random_market(rng, 120);
}

TEST_F(WithoutDevice, CudaBackendIsADeviceErrorWithTheReason) {
  RunOptions options;
  options.backend = Backend::cuda;
  try {
    compute(small_market(), default_config(), options);
    FAIL() << "expected a device error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(std::string(e.what()).find("cuda"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(reason_), std::string::npos) << e.what();
  }
}

TEST_F(WithoutDevice, AutoFallsBackToTheCpuAndSaysWhy) {
  const Result result = compute(small_market(), default_config(), RunOptions{});
  EXPECT_EQ(result.stats.backend, "cpu");
  EXPECT_EQ(result.stats.backend_note, "auto: " + reason_);
  EXPECT_GT(result.stats.positions_drawn, 0u);
}

TEST(BackendInfo, SaysWhatIsCompiledAndWhyNoDevice) {
  const BackendInfo info = backend_info();
#if defined(LIQMAP_HAVE_CUDA)
  EXPECT_TRUE(info.cuda_compiled);
#else
  EXPECT_FALSE(info.cuda_compiled);
#endif
  EXPECT_FALSE(info.cuda_reason.empty());
  if (info.cuda_usable) {
    EXPECT_FALSE(info.devices.empty());
  }
}

}  // namespace
}  // namespace liqmap
