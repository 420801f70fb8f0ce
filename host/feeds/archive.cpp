// `liqmap fetch binance SYMBOL --archive`: Binance's public archive (fetch.hpp).
#include <ctime>
#include <filesystem>
#include <fstream>

#include "candle.hpp"
#include "exchange.hpp"
#include "fetch.hpp"
#include "liqmap/error.hpp"
#include "transport.hpp"
#ifdef LIQMAP_FEEDS_TLS
#include <openssl/evp.h>
#endif

namespace liqmap::feeds {
namespace {

constexpr std::int64_t kDay = 86400000;

struct Ymd {
  int y, m, d;
};

Ymd ymd_of(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::int64_t ms_of(int y, int m, int d) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string sha256_hex(const std::string& data) {
#ifdef LIQMAP_FEEDS_TLS
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += hex[md[i] >> 4], out += hex[md[i] & 15];
  return out;
#else
  (void)data;
  return "";
#endif
}

std::string slurp_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ArchiveFiles {
 public:
  ArchiveFiles(const FetchSpec& spec, RestClient& rest, const LogSink& log) : spec_(spec), rest_(rest), log_(log) {}

  // Saves remote `dir/name` into out_dir: 1 saved now, 0 already there, -1 not in the archive.
  int save(const std::string& dir, const std::string& name) {
    const std::string local = (std::filesystem::path(spec_.out_dir) / name).string();
    std::string checksum;
    const bool have_sum = rest_.get_if_found(dir + "/" + name + ".CHECKSUM", checksum);
    const std::string want = have_sum ? checksum.substr(0, checksum.find_first_of(" \t\r\n")) : "";
    std::error_code ec;
    if (std::filesystem::exists(local, ec)) {
      const std::string sum = sha256_hex(slurp_file(local));
      if (want.empty() || sum.empty() || sum == want) return 0;  // already there
      if (log_) log_("fetch: " + local + " differs from the archive's checksum: fetched again");
    }
    std::string body;
    if (!rest_.get_if_found(dir + "/" + name, body)) {
      if (log_) log_("fetch: " + name + " is not in the archive (not published yet, or before the listing)");
      return -1;
    }
    const std::string sum = sha256_hex(body);
    if (!want.empty() && !sum.empty() && sum != want)
      throw Error(ErrorCode::io, "fetch: " + name + " does not match its .CHECKSUM (sha256 " + sum + ", expected " + want +
                                     "): a damaged download; run fetch again");
    const std::string part = local + ".part";
    {
      std::ofstream out(part, std::ios::binary);
      out << body;
      if (!out) throw Error(ErrorCode::io, "fetch: cannot write " + part);
    }
    std::filesystem::rename(part, local);
    return 1;
  }

 private:
  const FetchSpec& spec_;
  RestClient& rest_;
  const LogSink& log_;
};

}  // namespace

FetchResult fetch_archive(const FetchSpec& spec, const std::atomic<bool>* stop, const LogSink& log) {
  if (spec.exchange != FeedKind::binance)
    throw Error(ErrorCode::invalid_argument, "fetch --archive: only Binance has a public archive (data.binance.vision)");
  const Exchange& ex = exchange(spec.exchange);
  ex.ws_target(spec.symbol, spec.interval);
  const std::int64_t now = now_ms();
  const std::int64_t today = now / kDay * kDay;
  const std::int64_t to = std::min(spec.to_ms < 0 ? now : spec.to_ms, today);  // daily files appear the day after
  std::error_code ec;
  std::filesystem::create_directories(spec.out_dir, ec);
  if (ec) throw Error(ErrorCode::io, "fetch: cannot create " + spec.out_dir + ": " + ec.message());
  RestClient rest(spec.archive_url, ex, spec.rest_min_interval_seconds < 0 ? 0.1 : spec.rest_min_interval_seconds, stop, log);
  rest.max_retries = spec.max_retries;
  ArchiveFiles files(spec, rest, log);
  FetchResult result;
  const std::string base = "/data/futures/um";
  const std::string& s = spec.symbol;
  const std::string& iv = spec.interval;
  const Ymd now_d = ymd_of(now);
  const std::int64_t this_month = ms_of(now_d.y, now_d.m, 1);
  for (std::int64_t day = spec.from_ms / kDay * kDay; day < to;) {
    const Ymd d = ymd_of(day);
    const std::int64_t month_start = ms_of(d.y, d.m, 1);
    const std::int64_t month_end = d.m == 12 ? ms_of(d.y + 1, 1, 1) : ms_of(d.y, d.m + 1, 1);
    const std::string ym = std::to_string(d.y) + "-" + two(d.m);
    int monthly = -1;  // a whole past month: one file, else (or while it is not published) daily files
    if (spec.candles && day == month_start && month_end <= to && month_end <= this_month) {
      monthly = files.save(base + "/monthly/klines/" + s + "/" + iv, s + "-" + iv + "-" + ym + ".zip");
      result.candles_added += monthly > 0;
    }
    if (spec.candles && monthly < 0)
      for (std::int64_t k = day; k < std::min(month_end, to); k += kDay)
        result.candles_added += files.save(base + "/daily/klines/" + s + "/" + iv,
                                           s + "-" + iv + "-" + ym + "-" + two(ymd_of(k).d) + ".zip") > 0;
    if (spec.open_interest)
      for (std::int64_t k = day; k < std::min(month_end, to); k += kDay)
        result.oi_added += files.save(base + "/daily/metrics/" + s, s + "-metrics-" + ym + "-" + two(ymd_of(k).d) + ".zip") > 0;
    day = std::min(month_end, to);
  }
  result.market_path = (std::filesystem::path(spec.out_dir) / (s + "-" + iv + "-*.zip")).string();
  result.oi_path = (std::filesystem::path(spec.out_dir) / (s + "-metrics-*.zip")).string();
  if (log) {
    if (sha256_hex("").empty()) log("fetch: built without OpenSSL: the archive's checksums were not checked");
    log("fetch: " + std::to_string(result.candles_added) + " kline and " + std::to_string(result.oi_added) +
        " metrics files saved (" + std::to_string(rest.requests_sent()) + " requests); read them with\n  liqmap compute --market '" +
        result.market_path + "' --oi '" + result.oi_path + "' --out MAP");
  }
  return result;
}

}  // namespace liqmap::feeds
