// The statistics of the backtest: exposed so the tests can check them against known values.
#pragma once

#include <cstddef>
#include <vector>

#include "backtest/backtest.hpp"

namespace liqmap::backtest {

// Wilson score 95% interval of hits / n.
Rate wilson(std::size_t hits, std::size_t n);
// Exact two-sided binomial test of k successes in n at probability p (outcomes no likelier than k).
double binomial_two_sided(std::size_t k, std::size_t n, double p);
// Exact McNemar test of paired binary outcomes from the discordant pair counts.
double mcnemar(std::size_t only_a, std::size_t only_b);
// Two-sided pooled z-test of two independent proportions.
double two_proportions(std::size_t hits_a, std::size_t n_a, std::size_t hits_b, std::size_t n_b);
// NaN when empty.
double median(std::vector<double> values);

}  // namespace liqmap::backtest
