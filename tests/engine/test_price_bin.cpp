// price_bin (kernels/model_math.hpp) finds its bin by a direct index confirmed against the
// edges: it must give the bin of a plain search over the same edges for every price, on linear
// and log axes, at the edges themselves and just beside them.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "model_math.hpp"

namespace liqmap {
namespace {

// The reference: the last edge at or below the price (the top edge in the last bin).
int searched_bin(const std::vector<double>& edges, double price) {
  const int bins = int(edges.size()) - 1;
  if (!(price >= edges[0]) || price > edges[bins]) return -1;
  int bin = 0;
  while (bin + 1 < bins && edges[bin + 1] <= price) ++bin;
  return bin;
}

std::vector<double> axis(double low, double high, int bins, bool log_scale) {
  std::vector<double> edges(bins + 1);
  for (int b = 0; b <= bins; ++b)
    edges[b] = log_scale ? low * std::pow(high / low, double(b) / bins) : low + (high - low) * b / bins;
  edges.front() = low;
  edges.back() = high;
  return edges;
}

TEST(PriceBin, EqualsASearchOverTheSameEdges) {
  std::mt19937_64 rng(2026);
  for (int trial = 0; trial < 200; ++trial) {
    const bool log_scale = trial % 2 == 1;
    const int bins = 1 + int(rng() % 3000);
    const double low = 100 + double(rng() % 50000), high = low * (1.01 + double(rng() % 300) / 100);
    const std::vector<double> edges = axis(low, high, bins, log_scale);
    std::uniform_real_distribution<double> price(low * 0.9, high * 1.1);
    for (int i = 0; i < 2000; ++i) {
      const double p = price(rng);
      ASSERT_EQ(model::price_bin(edges.data(), bins, p), searched_bin(edges, p)) << "price " << p;
    }
    for (int b = 0; b <= bins; ++b)
      for (const double p : {edges[b], std::nextafter(edges[b], 0.0), std::nextafter(edges[b], 1e300)})
        ASSERT_EQ(model::price_bin(edges.data(), bins, p), searched_bin(edges, p)) << "edge " << b;
  }
}

TEST(PriceBin, OutsideTheAxisIsMinusOneAndTheTopEdgeIsTheLastBin) {
  const std::vector<double> edges = axis(10, 20, 10, false);
  EXPECT_EQ(model::price_bin(edges.data(), 10, 9.999), -1);
  EXPECT_EQ(model::price_bin(edges.data(), 10, 20.001), -1);
  EXPECT_EQ(model::price_bin(edges.data(), 10, std::nan("")), -1);
  EXPECT_EQ(model::price_bin(edges.data(), 10, 20.0), 9);
  EXPECT_EQ(model::price_bin(edges.data(), 10, 10.0), 0);
}

}  // namespace
}  // namespace liqmap
