// A cluster's size that does not depend on the bin count: USD per 0.1% of price around a price.
// "USD in bin" grows with the bin's width (the same cluster reads $330M at 512 bins and $25M at
// 8,192); this density reads the same at any bin count fine enough to resolve the cluster.
#pragma once

#include <vector>

namespace liqmap::report {

constexpr double kDensityUnitPct = 0.1;    // the quoted unit: USD per 0.1% of price
constexpr double kDensityWindowPct = 0.5;  // averaged over +-0.25% of price around the peak

// The mean of `per_bin` (USD in each bin) over [price * (1 - w/200), price * (1 + w/200)],
// w = kDensityWindowPct, as USD per kDensityUnitPct of price; bins cut by the window count by
// the share of their width inside it (values spread evenly within a bin). `edges` has one more
// element than `per_bin`, ascending.
double usd_per_tenth_percent(const std::vector<double>& per_bin, const std::vector<double>& edges, double price);

}  // namespace liqmap::report
