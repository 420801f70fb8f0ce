// `liqmap fetch binance|bybit|okx SYMBOL`: candles and open interest from the exchanges' REST
// history into the files `compute --market` and `--oi` read (generic CSV, ts in epoch ms):
//   DIR/SYMBOL-INTERVAL-EXCHANGE.csv     ts,open,high,low,close,volume   (volume in coins)
//   DIR/SYMBOL-INTERVAL-EXCHANGE-oi.csv  ts,oi                           (coins)
// Resumable: a file already there is continued after its last complete row (a row cut short by
// an interrupted run is removed first). Requests are spaced by the exchange's documented limits
// and rate-limit answers are honoured (transport.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "feed.hpp"

namespace liqmap::feeds {

struct FetchSpec {
  FeedKind exchange = FeedKind::binance;
  std::string symbol;
  std::string interval = "1h";
  std::int64_t from_ms = 0;
  std::int64_t to_ms = -1;      // exclusive; < 0: now (only closed candles are written)
  std::string out_dir;
  std::string rest_url;         // default: the exchange's public host
  bool candles = true;
  bool open_interest = true;
  std::string oi_period;        // default: the exchange's longest period not above the interval
  double rest_min_interval_seconds = -1;
  int max_retries = 6;
  // Binance only: the public archive's zip files instead of the REST API (see fetch_archive).
  bool archive = false;
  std::string archive_url = "https://data.binance.vision";
};

struct FetchResult {
  std::string market_path, oi_path;
  long long candles_added = 0, oi_added = 0;
  std::int64_t candles_resumed_after = -1, oi_resumed_after = -1;  // last time already there
};

FetchResult fetch_history(const FetchSpec& spec, const std::atomic<bool>* stop, const LogSink& log);

// Binance's public archive (https://data.binance.vision, layout in
// https://github.com/binance/binance-public-data): USDⓈ-M klines as monthly zips for whole past
// months and daily zips for the rest, and the daily metrics zips (5-minute open interest):
//   data/futures/um/monthly/klines/SYMBOL/INTERVAL/SYMBOL-INTERVAL-YYYY-MM.zip
//   data/futures/um/daily/klines/SYMBOL/INTERVAL/SYMBOL-INTERVAL-YYYY-MM-DD.zip
//   data/futures/um/daily/metrics/SYMBOL/SYMBOL-metrics-YYYY-MM-DD.zip
// each with a .CHECKSUM file ("<sha256>  <name>") checked when built with OpenSSL. Files are
// saved as they are into out_dir (compute reads the zips: --market 'DIR/SYMBOL-INTERVAL-*.zip'
// --oi 'DIR/SYMBOL-metrics-*.zip'); a file already there with a good checksum is not fetched
// again; one the archive lacks (404: not published yet, before the listing) is skipped with a
// notice. candles_added / oi_added count the files saved.
FetchResult fetch_archive(const FetchSpec& spec, const std::atomic<bool>* stop, const LogSink& log);

}  // namespace liqmap::feeds
