// The rules of MODEL.md section 1, checked row by row; the first broken one is reported with
// file, line, column, value and rule.
#include <cmath>
#include <cstdint>
#include <sstream>

#include "liqmap/error.hpp"
#include "liqmap/market.hpp"

namespace liqmap {
namespace {

class RowChecker {
 public:
  explicit RowChecker(const RowOrigin& origin) : origin_(origin) {}

  [[noreturn]] void fail(std::size_t row, const char* column, double value, const std::string& rule) const {
    std::ostringstream msg;
    msg.precision(17);
    const std::size_t line = origin_.line.empty() ? row + 1 : origin_.line.at(row);
    msg << (origin_.file.empty() ? "<memory>" : origin_.file) << ":" << line << ": column '"
        << column << "' value " << value << ": " << rule;
    throw Error(ErrorCode::input, msg.str());
  }

  void price(std::size_t row, const char* column, double value) const {
    if (!std::isfinite(value)) fail(row, column, value, "must be a finite number");
    if (!(value > 0)) fail(row, column, value, "must be > 0");
  }

  void optional(std::size_t row, const char* column, const std::vector<double>& values,
                double upper) const {
    if (values.empty()) return;
    const double v = values[row];
    if (!std::isfinite(v)) fail(row, column, v, "must be a finite number");
    if (v < 0) fail(row, column, v, "must be >= 0");
    if (v > upper) fail(row, column, v, "must be <= 1");
  }

 private:
  const RowOrigin& origin_;
};

}  // namespace

void validate_market(const Market& market, const RowOrigin& origin) {
  const std::size_t n = market.size();
  const auto same_length = [&](const std::vector<double>& v, const char* name, bool optional) {
    if ((optional && v.empty()) || v.size() == n) return;
    throw Error(ErrorCode::input, std::string("market column '") + name + "' has " +
                                      std::to_string(v.size()) + " values but 'ts' has " +
                                      std::to_string(n));
  };
  same_length(market.open, "open", false);
  same_length(market.high, "high", false);
  same_length(market.low, "low", false);
  same_length(market.close, "close", false);
  same_length(market.volume, "volume", true);
  same_length(market.oi, "oi", true);
  same_length(market.long_share, "long_share", true);
  if (n == 0) throw Error(ErrorCode::input, (origin.file.empty() ? std::string("<memory>") : origin.file) + ": the market has no rows");

  const RowChecker check(origin);
  const double unbounded = HUGE_VAL;
  // Within +-2^53 ms (285,000 years) a difference of two times never overflows and every time
  // is exact as a double: no step loop can run away on a span wider than 2^63.
  constexpr std::int64_t kTimeLimit = std::int64_t(1) << 53;
  for (std::size_t i = 0; i < n; ++i) {
    if (market.ts[i] < -kTimeLimit || market.ts[i] > kTimeLimit)
      check.fail(i, "ts", double(market.ts[i]), "must be ms since the epoch within +-2^53");
    if (i > 0 && market.ts[i] <= market.ts[i - 1])
      check.fail(i, "ts", double(market.ts[i]),
                 "timestamps must be strictly increasing (previous row has " +
                     std::to_string(market.ts[i - 1]) + ")");
    check.price(i, "open", market.open[i]);
    check.price(i, "high", market.high[i]);
    check.price(i, "low", market.low[i]);
    check.price(i, "close", market.close[i]);
    if (market.low[i] > std::min(market.open[i], market.close[i]))
      check.fail(i, "low", market.low[i], "must be <= min(open, close)");
    if (market.high[i] < std::max(market.open[i], market.close[i]))
      check.fail(i, "high", market.high[i], "must be >= max(open, close)");
    check.optional(i, "volume", market.volume, unbounded);
    check.optional(i, "oi", market.oi, unbounded);
    check.optional(i, "long_share", market.long_share, 1.0);
  }
}

}  // namespace liqmap
