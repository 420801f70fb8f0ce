// Candles and an open-interest file (snapshots, OHLC bars, Binance metrics, Bybit's and OKX's
// open interest) joined as-of,
// with the open-interest unit read from the data. The input is split at the first 0x00 byte.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t pick = data[0];
  const auto* begin = data + 1;
  const std::size_t rest = size - 1;
  const auto* split = static_cast<const std::uint8_t*>(std::memchr(begin, 0, rest));
  const std::size_t candle_size = split ? static_cast<std::size_t>(split - begin) : rest;
  // OKX-named files may be read in OKX's headerless layouts.
  const std::string venue = (pick & 16) ? "-ETH-USDT-SWAP" : "";
  const std::string candles = liqmap::fuzz::write_scratch(begin, candle_size, venue + "-candles.csv");
  const std::string oi = split ? liqmap::fuzz::write_scratch(split + 1, rest - candle_size - 1, venue + "-oi.csv")
                               : liqmap::fuzz::write_scratch(nullptr, 0, venue + "-oi.csv");
  liqmap::io::ReadOptions options;
  if (pick & 1) options.format = liqmap::io::MarketFormat::binance_metrics;
  options.drop_bad_rows = (pick & 2) != 0;
  if (pick & 4) options.oi_unit = (pick & 8) ? liqmap::OiUnit::quote : liqmap::OiUnit::base;
  try {
    const liqmap::io::MarketData read = liqmap::io::read_market({candles}, {oi}, options);
    liqmap::validate_market(read.market, read.origin);
  } catch (const liqmap::Error&) {
  }
  return 0;
}
