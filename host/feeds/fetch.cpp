#include "fetch.hpp"

#include <filesystem>
#include <fstream>

#include "candle.hpp"
#include "exchange.hpp"
#include "history.hpp"
#include "liqmap/error.hpp"
#include "transport.hpp"

namespace liqmap::feeds {
namespace {

namespace fs = std::filesystem;

// Prepares `path` for appending rows after `header`: creates it, or checks its header, cuts a
// partial last row, and returns the time of its last row (-1: no row yet).
std::int64_t prepare(const std::string& path, const std::string& header, const LogSink& log) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    std::ofstream out(path, std::ios::binary);
    out << header << "\n";
    if (!out) throw Error(ErrorCode::io, "fetch: cannot write " + path);
    return -1;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw Error(ErrorCode::io, "fetch: cannot read " + path);
  const std::size_t first_nl = text.find('\n');
  if (text.substr(0, first_nl) != header)
    throw Error(ErrorCode::io, "fetch: " + path + " line 1: expected the header '" + header +
                                   "' of a file fetch wrote; move it away or choose another --out");
  std::size_t keep = text.size();
  if (!text.empty() && text.back() != '\n') {
    keep = text.rfind('\n') + 1;
    if (log) log("fetch: " + path + ": removed a row cut short (" + std::to_string(text.size() - keep) + " bytes)");
    fs::resize_file(path, keep);
  }
  if (keep <= first_nl + 1) return -1;
  const std::size_t row_start = text.rfind('\n', keep - 2) + 1;
  const std::string row = text.substr(row_start, keep - 1 - row_start);
  try {
    std::size_t used = 0;
    const long long ts = std::stoll(row, &used);
    if (used == 0 || used >= row.size() || row[used] != ',') throw std::invalid_argument("ts");
    return ts;
  } catch (const std::exception&) {
    throw Error(ErrorCode::io, "fetch: " + path + ": last row '" + row.substr(0, 60) + "' does not start with a time in ms");
  }
}

void append_rows(const std::string& path, const std::string& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << rows;
  out.flush();
  if (!out) throw Error(ErrorCode::io, "fetch: cannot append to " + path);
}

}  // namespace

FetchResult fetch_history(const FetchSpec& spec, const std::atomic<bool>* stop, const LogSink& log) {
  if (spec.archive) return fetch_archive(spec, stop, log);
  const Exchange& ex = exchange(spec.exchange);
  const std::int64_t step = interval_ms(spec.interval);
  ex.ws_target(spec.symbol, spec.interval);  // checks the symbol and the interval for this exchange
  const std::int64_t now = now_ms();
  const std::int64_t to = spec.to_ms < 0 ? now : spec.to_ms;
  if (to <= spec.from_ms)
    throw Error(ErrorCode::invalid_argument, "fetch: --to (" + iso_time(to) + ") is not after --from (" + iso_time(spec.from_ms) + ")");
  std::error_code ec;
  fs::create_directories(spec.out_dir, ec);
  if (ec) throw Error(ErrorCode::io, "fetch: cannot create " + spec.out_dir + ": " + ec.message());
  RestClient rest(spec.rest_url.empty() ? ex.default_rest_url() : spec.rest_url, ex, spec.rest_min_interval_seconds,
                  stop, log);
  rest.max_retries = spec.max_retries;
  const std::string stem = (fs::path(spec.out_dir) / (spec.symbol + "-" + spec.interval + "-" + ex.name())).string();
  FetchResult result;
  if (spec.candles) {
    result.market_path = stem + ".csv";
    result.candles_resumed_after = prepare(result.market_path, kMarketHeader, log);
    const std::int64_t from = result.candles_resumed_after >= 0 ? result.candles_resumed_after + step : spec.from_ms;
    // Only closed candles opening before `to`.
    const std::int64_t last_open = std::min((to - 1) / step * step, (now / step) * step - step);
    if (from <= last_open) {
      if (log) log("fetch: " + std::string(ex.name()) + " " + spec.symbol + " " + spec.interval + " candles " +
                   iso_time(from) + " .. " + iso_time(last_open) + " -> " + result.market_path);
      fetch_klines(rest, ex, spec.symbol, spec.interval, from, last_open, now, [&](const std::vector<Candle>& page) {
        std::string rows;
        for (const Candle& c : page)
          if (c.closed) rows += market_row(c) + "\n", ++result.candles_added;
        append_rows(result.market_path, rows);
      });
    }
  }
  if (spec.open_interest) {
    const std::string period = spec.oi_period.empty() ? ex.oi_period(spec.interval) : spec.oi_period;
    const std::int64_t pstep = ex.oi_period_ms(period);
    result.oi_path = stem + "-oi.csv";
    result.oi_resumed_after = prepare(result.oi_path, kOiHeader, log);
    std::int64_t from = result.oi_resumed_after >= 0 ? result.oi_resumed_after + pstep : spec.from_ms;
    if (spec.exchange == FeedKind::binance && from < now - 30LL * 86400000) {
      from = (now - 30LL * 86400000) / pstep * pstep + pstep;
      if (log) log("fetch: Binance keeps 30 days of open-interest history: open interest from " + iso_time(from));
    }
    const std::int64_t last = std::min(to - 1, now);
    if (from <= last) {
      if (log) log("fetch: open interest every " + period + " " + iso_time(from) + " .. " + iso_time(last) + " -> " + result.oi_path);
      fetch_oi(rest, ex, spec.symbol, period, from, last, [&](const std::vector<OiPoint>& page) {
        std::string rows;
        for (const OiPoint& p : page) rows += oi_row(p) + "\n", ++result.oi_added;
        append_rows(result.oi_path, rows);
      });
    }
  }
  if (log) log("fetch: " + std::to_string(result.candles_added) + " candles, " + std::to_string(result.oi_added) +
               " open-interest rows added (" + std::to_string(rest.requests_sent()) + " requests)");
  return result;
}

}  // namespace liqmap::feeds
