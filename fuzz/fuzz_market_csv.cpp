// One candle file through every reader (generic, Binance klines with or without header, Bybit's
// and OKX's layouts,
// forced formats, --drop-bad-rows): any input may be refused with liqmap::Error, nothing else.
#include <cstddef>
#include <cstdint>

#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the options, the rest is the file.
  liqmap::io::ReadOptions options;
  const std::uint8_t pick = data[0];
  options.format = pick % 3 == 0   ? liqmap::io::MarketFormat::automatic
                   : pick % 3 == 1 ? liqmap::io::MarketFormat::generic
                                   : liqmap::io::MarketFormat::binance_klines;
  options.drop_bad_rows = (pick & 4) != 0;
  if (pick & 8) options.oi_unit = (pick & 16) ? liqmap::OiUnit::quote : liqmap::OiUnit::base;
  // The name matters too: COIN-M volume, and the venues' headerless layouts (Bybit, OKX).
  const char* suffix = (pick & 32) ? "-USD_PERP.csv" : (pick & 64) ? "-bybit.csv" : (pick & 128) ? "-ETH-USDT-SWAP.csv" : ".csv";
  const std::string path = liqmap::fuzz::write_scratch(data + 1, size - 1, suffix);
  try {
    const liqmap::io::MarketData read = liqmap::io::read_market({path}, {}, options);
    liqmap::validate_market(read.market, read.origin);  // what the reader gives must pass the rules
  } catch (const liqmap::Error&) {
  }
  return 0;
}
