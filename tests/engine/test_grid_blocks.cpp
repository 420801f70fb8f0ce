// Grid storage: a large block freed by one stage serves the next stage's grids (the smoothed
// grids reuse the delta grid's pages), as many grids as fit, and it is reused again once they are
// all freed; values written through one grid are not touched by another carved from the block.
#include <gtest/gtest.h>

#include <cstdint>

#include "liqmap/result.hpp"

namespace liqmap {
namespace {

constexpr std::size_t kMiB = std::size_t(1) << 20;

bool inside(const void* p, const void* base, std::size_t bytes) {
  const auto* c = static_cast<const char*>(p);
  const auto* b = static_cast<const char*>(base);
  return c >= b && c < b + bytes;
}

TEST(GridBlocks, AFreedBlockServesTheNextGridsThatFit) {
  void* delta = detail::allocate_grid_values(64 * kMiB);
  detail::free_grid_values(delta, 64 * kMiB);
  void* first = detail::allocate_grid_values(32 * kMiB);
  void* second = detail::allocate_grid_values(32 * kMiB);
  EXPECT_TRUE(inside(first, delta, 64 * kMiB));
  EXPECT_TRUE(inside(second, delta, 64 * kMiB));
  EXPECT_NE(first, second);
  void* third = detail::allocate_grid_values(32 * kMiB);  // the block is full: fresh memory
  EXPECT_FALSE(inside(third, delta, 64 * kMiB));
  detail::free_grid_values(first, 32 * kMiB);
  detail::free_grid_values(second, 32 * kMiB);
  void* again = detail::allocate_grid_values(48 * kMiB);  // all freed: the whole block again
  EXPECT_EQ(again, delta);
  detail::free_grid_values(again, 48 * kMiB);
  detail::free_grid_values(third, 32 * kMiB);
}

TEST(GridBlocks, GridsCarvedFromOneBlockKeepTheirOwnValues) {
  { Grid big = Grid::uninitialized(1024, 8192); big.data[0] = 1; }  // 64 MiB, freed
  Grid a = Grid::uninitialized(1024, 4096), b = Grid::uninitialized(1024, 4096);
  for (std::size_t i = 0; i < a.data.size(); ++i) a.data[i] = double(i);
  for (std::size_t i = 0; i < b.data.size(); ++i) b.data[i] = -double(i);
  for (std::size_t i = 0; i < a.data.size(); i += 4099) {
    ASSERT_EQ(a.data[i], double(i));
    ASSERT_EQ(b.data[i], -double(i));
  }
  const Grid zeros(1024, 4096);  // value-initialised storage is still zero when reused
  for (std::size_t i = 0; i < zeros.data.size(); i += 4099) ASSERT_EQ(zeros.data[i], 0.0);
}

}  // namespace
}  // namespace liqmap
