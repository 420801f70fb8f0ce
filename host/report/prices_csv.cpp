// prices.csv: ts,open,high,low,close per step, the candles the map was computed from, so
// `liqmap render DIR` can redraw the price line and levels without the market file.
#include <iomanip>

#include "file_io.hpp"
#include "report.hpp"

namespace liqmap::report {

void write_prices_csv(const std::string& path, const Market& market) {
  std::ofstream out = open_output(path);
  out << "ts,open,high,low,close\n" << std::setprecision(17);
  for (std::size_t t = 0; t < market.size(); ++t)
    out << market.ts[t] << ',' << market.open[t] << ',' << market.high[t] << ','
        << market.low[t] << ',' << market.close[t] << '\n';
  finish_output(out, path);
}

}  // namespace liqmap::report
