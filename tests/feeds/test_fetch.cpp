// `liqmap fetch` against a local REST server answering in each exchange's documented layout:
// paging, rate-limit answers, a file cut short and resumed, error answers, and the files read
// back by `liqmap compute`. Everything on 127.0.0.1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "feeds/fetch.hpp"
#include "liqmap/error.hpp"
#include "venue_fakes.hpp"

namespace liqmap::test {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kStep = 15 * 60000;
constexpr int kCandles = 2400;  // 25 days of 15m: two Binance pages, three Bybit, 24 OKX

struct Fixture {
  explicit Fixture(FeedKind k) : kind(k) {
    venue.kind = k;
    venue.step = kStep;
    base = (feeds::now_ms() / kStep - kCandles - 100) * kStep;
    for (int i = -50; i < kCandles + 80; ++i) {
      venue.candles[base + i * kStep] = make_candle(base + i * kStep, true);
      venue.oi[base + i * kStep] = make_oi(base + i * kStep);
    }
    venue.install(server);
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    dir = (fs::temp_directory_path() / ("liqmap_fetch_" + std::to_string(::getpid()) + "_" + feeds::feed_kind_name(k))).string();
    fs::remove_all(dir);
  }
  ~Fixture() {
    server.stop();
    thread.join();
    fs::remove_all(dir);
  }
  feeds::FetchSpec spec() const {
    feeds::FetchSpec s;
    s.exchange = kind;
    s.symbol = kind == FeedKind::okx ? "BTC-USDT-SWAP" : "BTCUSDT";
    s.interval = "15m";
    s.from_ms = base;
    s.to_ms = base + kCandles * kStep;
    s.out_dir = dir;
    s.rest_url = "http://127.0.0.1:" + std::to_string(port);
    s.rest_min_interval_seconds = 0;
    return s;
  }
  std::string want_market(int from_i = 0) const {
    std::string out = std::string(feeds::kMarketHeader) + "\n";
    for (int i = from_i; i < kCandles; ++i) out += feeds::market_row(make_candle(base + i * kStep, true)) + "\n";
    return out;
  }
  std::string want_oi() const {
    std::string out = std::string(feeds::kOiHeader) + "\n";
    for (int i = 0; i < kCandles; ++i) out += feeds::oi_row(make_oi(base + i * kStep)) + "\n";
    return out;
  }
  FeedKind kind;
  FakeVenue venue;
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::int64_t base = 0;
  std::string dir;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Fetch : public ::testing::TestWithParam<FeedKind> {};

TEST_P(Fetch, PagesThroughTheHistoryPastARateLimitAnswer) {
  Fixture f(GetParam());
  f.venue.limited_path = GetParam() == FeedKind::binance ? "/fapi/v1/klines"
                         : GetParam() == FeedKind::bybit ? "/v5/market/kline" : "/api/v5/market/history-candles";
  f.venue.limit_first = 1;
  std::vector<std::string> log;
  const feeds::FetchResult r = feeds::fetch_history(f.spec(), nullptr, [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(r.candles_added, kCandles);
  EXPECT_EQ(r.oi_added, kCandles);
  const std::string stem = f.dir + "/" + f.spec().symbol + "-15m-" + feeds::feed_kind_name(GetParam());
  EXPECT_EQ(r.market_path, stem + ".csv");
  EXPECT_EQ(r.oi_path, stem + "-oi.csv");
  EXPECT_EQ(slurp(r.market_path), f.want_market());
  EXPECT_EQ(slurp(r.oi_path), f.want_oi());
  const int pages = GetParam() == FeedKind::binance ? 2 : GetParam() == FeedKind::bybit ? 3 : 24;
  EXPECT_EQ(f.venue.klines_requests.load(), pages + 1);  // + the rate-limited one, retried
  EXPECT_EQ(f.venue.limited.load(), 1);
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& l) { return l.find("rate limited") != std::string::npos; }));

  // Again: nothing is missing, nothing is asked for candles or added.
  const int before = f.venue.klines_requests.load();
  const feeds::FetchResult again = feeds::fetch_history(f.spec(), nullptr, {});
  EXPECT_EQ(again.candles_added, 0);
  EXPECT_EQ(again.candles_resumed_after, f.base + (kCandles - 1) * kStep);
  EXPECT_EQ(f.venue.klines_requests.load(), before);
  EXPECT_EQ(slurp(r.market_path), f.want_market());
}

INSTANTIATE_TEST_SUITE_P(Exchanges, Fetch, ::testing::Values(FeedKind::binance, FeedKind::bybit, FeedKind::okx),
                         [](const auto& p) { return std::string(feeds::feed_kind_name(p.param)); });

TEST(FetchResume, AFileCutShortIsContinuedAfterItsLastCompleteRow) {
  Fixture f(FeedKind::bybit);
  fs::create_directories(f.dir);
  const std::string path = f.dir + "/BTCUSDT-15m-bybit.csv";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string full = f.want_market();
    std::size_t cut = 0;
    for (int line = 0; line < 4; ++line) cut = full.find('\n', cut) + 1;  // header + 3 rows
    out << full.substr(0, cut) << full.substr(cut, 17);                  // + a row cut short
  }
  std::vector<std::string> log;
  feeds::FetchSpec spec = f.spec();
  spec.open_interest = false;
  const feeds::FetchResult r = feeds::fetch_history(spec, nullptr, [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(r.candles_resumed_after, f.base + 2 * kStep);
  EXPECT_EQ(r.candles_added, kCandles - 3);
  EXPECT_EQ(slurp(path), f.want_market());
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& l) { return l.find("removed a row cut short") != std::string::npos; }));
  EXPECT_TRUE(f.venue.paths.front().find("start=" + std::to_string(f.base + 3 * kStep)) != std::string::npos) << f.venue.paths.front();

  // A file with another header is not overwritten.
  std::ofstream(path, std::ios::binary) << "timestamp,open,high,low,close\n1,2,3,1,2\n";
  try {
    feeds::fetch_history(spec, nullptr, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 1: expected the header"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(path), "timestamp,open,high,low,close\n1,2,3,1,2\n");
}

TEST(FetchErrors, ClientErrorsStopAtOnceAndServerErrorsAfterTheRetries) {
  Fixture f(FeedKind::okx);
  f.venue.fail_path = "/api/v5/rubik/stat/contracts/open-interest-history";
  f.venue.fail_status = 400;
  f.venue.fail_body = R"({"code":"51000","msg":"Parameter period error","data":[]})";
  feeds::FetchSpec spec = f.spec();
  try {
    feeds::fetch_history(spec, nullptr, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("HTTP 400"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Parameter period error"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(f.dir + "/BTC-USDT-SWAP-15m-okx.csv"), f.want_market());  // the candles were written

  f.venue.fail_path = "/api/v5/market/history-candles";
  f.venue.fail_status = 503;
  f.venue.fail_body = "upstream unavailable";
  fs::remove_all(f.dir);
  spec.max_retries = 1;
  spec.open_interest = false;
  try {
    feeds::fetch_history(spec, nullptr, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("server error HTTP 503 after 2 tries"), std::string::npos) << e.what();
  }
}

TEST(FetchCli, WritesFilesComputeReads) {
  Fixture f(FeedKind::binance);
  const std::string cmd = std::string(LIQMAP_CLI) + " fetch binance BTCUSDT --interval 15m --from " +
                          std::to_string(f.base) + " --to " + std::to_string(f.base + kCandles * kStep) + " --out " + f.dir +
                          " --rest-url http://127.0.0.1:" + std::to_string(f.port) + " --min-interval 0 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ASSERT_EQ(::pclose(p), 0) << out;
  EXPECT_NE(out.find("BTCUSDT-15m-binance.csv  +2400 candles"), std::string::npos) << out;
  EXPECT_NE(out.find("BTCUSDT-15m-binance-oi.csv  +2400 open-interest rows"), std::string::npos) << out;
  const std::string compute = std::string(LIQMAP_CLI) + " compute --market " + f.dir + "/BTCUSDT-15m-binance.csv --oi " + f.dir +
                              "/BTCUSDT-15m-binance-oi.csv --outputs npy --bins 64 --threads 1 --out " + f.dir + "/map > " + f.dir +
                              "/compute.log 2>&1";
  EXPECT_EQ(std::system(compute.c_str()), 0) << slurp(f.dir + "/compute.log");
  EXPECT_TRUE(fs::exists(f.dir + "/map/axes.json")) << slurp(f.dir + "/compute.log");
}

}  // namespace
}  // namespace liqmap::test

namespace liqmap::test {
namespace {

// The archive layout of data.binance.vision on a loopback server: monthly and daily kline zips,
// daily metrics zips, each with its .CHECKSUM; one daily file not published (404).
struct Archive {
  Archive() {
    const std::string k = "/data/futures/um/monthly/klines/BTCUSDT/1h/";
    const std::string d = "/data/futures/um/daily/klines/BTCUSDT/1h/";
    const std::string m = "/data/futures/um/daily/metrics/BTCUSDT/";
    add(k + "BTCUSDT-1h-2024-01.zip", "ZIPDATA-jan", "1b8d779a65d8d14d5fad3e258ff12eb6e55aa1ec9783c1118b6ff1e1b318887c");
    add(d + "BTCUSDT-1h-2024-02-01.zip", "ZIPDATA-feb01", "41f3add9abdf3dc7eef6fe3db46afbafb79b672a92f3be08cfa0fe97378424f8");
    add(d + "BTCUSDT-1h-2024-02-02.zip", "ZIPDATA-feb02", "b2ac7a3ad3d04628f3a935939b1e74a3d52ff345aa9f77f9bfcc2d19ea251199");
    add(m + "BTCUSDT-metrics-2024-02-01.zip", "ZIPDATA-m01", "5e1f17639d3dd5b04e343e5d69f38af9a7baf9c4a0964c934ec5cd0e34bb6c90");
    add(m + "BTCUSDT-metrics-2024-02-02.zip", "ZIPDATA-m02", "6a8c606bee81da748aad5b5d4acd99b47795796e732ce8c3acb645235f9a4366");
    server.Get("/data/.*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(m_);
      asked.push_back(req.path);
      const auto it = files.find(req.path);
      if (it == files.end()) {
        res.status = 404;
        res.set_content("<Error><Code>NoSuchKey</Code></Error>", "application/xml");
        return;
      }
      res.set_content(it->second, "application/zip");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    dir = (fs::temp_directory_path() / ("liqmap_archive_" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
  }
  ~Archive() {
    server.stop();
    thread.join();
    fs::remove_all(dir);
  }
  void add(const std::string& path, const std::string& body, const std::string& sha) {
    files[path] = body;
    files[path + ".CHECKSUM"] = sha + "  " + path.substr(path.rfind('/') + 1) + "\n";
  }
  feeds::FetchSpec spec(const char* from, const char* to) const {
    feeds::FetchSpec s;
    s.exchange = FeedKind::binance;
    s.symbol = "BTCUSDT";
    s.interval = "1h";
    s.from_ms = std::stoll(from);
    s.to_ms = std::stoll(to);
    s.out_dir = dir;
    s.archive = true;
    s.archive_url = "http://127.0.0.1:" + std::to_string(port);
    s.rest_min_interval_seconds = 0;
    return s;
  }
  std::size_t zips_asked() {
    std::lock_guard<std::mutex> lock(m_);
    return std::count_if(asked.begin(), asked.end(), [](const std::string& p) { return p.size() > 4 && p.substr(p.size() - 4) == ".zip"; });
  }
  std::map<std::string, std::string> files;
  std::vector<std::string> asked;
  std::mutex m_;
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::string dir;
};

constexpr const char* kJan1 = "1704067200000";  // 2024-01-01
constexpr const char* kFeb1 = "1706745600000";  // 2024-02-01
constexpr const char* kFeb3 = "1706918400000";  // 2024-02-03
constexpr const char* kFeb4 = "1707004800000";  // 2024-02-04 (exclusive)

TEST(FetchArchive, MonthlyThenDailyFilesChecksummedAndNotFetchedTwice) {
  Archive a;
  feeds::FetchSpec spec = a.spec(kJan1, kFeb4);
  spec.open_interest = false;
  std::vector<std::string> log;
  const feeds::FetchResult r = feeds::fetch_history(spec, nullptr, [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(r.candles_added, 3);  // January's monthly zip, Feb 1 and 2; Feb 3 is not published
  EXPECT_EQ(slurp(a.dir + "/BTCUSDT-1h-2024-01.zip"), "ZIPDATA-jan");
  EXPECT_EQ(slurp(a.dir + "/BTCUSDT-1h-2024-02-01.zip"), "ZIPDATA-feb01");
  EXPECT_EQ(slurp(a.dir + "/BTCUSDT-1h-2024-02-02.zip"), "ZIPDATA-feb02");
  EXPECT_FALSE(fs::exists(a.dir + "/BTCUSDT-1h-2024-02-03.zip"));
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find("BTCUSDT-1h-2024-02-03.zip is not in the archive") != std::string::npos;
  }));
  EXPECT_EQ(r.market_path, a.dir + "/BTCUSDT-1h-*.zip");
  const std::size_t zips = a.zips_asked();
  EXPECT_EQ(zips, 4u);  // 3 saved + the missing one
  const feeds::FetchResult again = feeds::fetch_history(spec, nullptr, {});
  EXPECT_EQ(again.candles_added, 0);
  EXPECT_EQ(a.zips_asked(), zips + 1);  // only the still missing day is asked for again

  feeds::FetchSpec oi = a.spec(kFeb1, kFeb3);
  oi.candles = false;
  const feeds::FetchResult m = feeds::fetch_history(oi, nullptr, {});
  EXPECT_EQ(m.oi_added, 2);
  EXPECT_EQ(slurp(a.dir + "/BTCUSDT-metrics-2024-02-02.zip"), "ZIPDATA-m02");
}

TEST(FetchArchive, ADamagedDownloadIsRefusedAndNotSaved) {
  Archive a;
  a.files["/data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-02.zip"] = "ZIPDATA-feb02-truncat";
  feeds::FetchSpec spec = a.spec(kFeb1, kFeb3);
  spec.open_interest = false;
  try {
    feeds::fetch_history(spec, nullptr, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("BTCUSDT-1h-2024-02-02.zip does not match its .CHECKSUM"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(a.dir + "/BTCUSDT-1h-2024-02-01.zip"));
  EXPECT_FALSE(fs::exists(a.dir + "/BTCUSDT-1h-2024-02-02.zip"));
  spec.exchange = FeedKind::okx;
  spec.symbol = "BTC-USDT-SWAP";
  EXPECT_THROW(feeds::fetch_history(spec, nullptr, {}), Error);
}

}  // namespace
}  // namespace liqmap::test
