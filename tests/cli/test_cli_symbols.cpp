// The symbol decides the margin schedules: from the file names or the config, said in the run's
// notices and kept in axes.json; a named schedule of another coin, or files of two coins, are
// refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;

fs::path scratch(const std::string& name) { return liqmap::testing::scratch_dir() / name; }

fs::path write(const std::string& name, const std::string& text) {
  const fs::path path = scratch(name);
  std::ofstream(path) << text;
  return path;
}

// 30 one-minute bars around 2,500 (an ETH-like price), with volume.
std::string bars() {
  std::string text = "ts,open,high,low,close,volume\n";
  for (int m = 0; m < 30; ++m)
    text += std::to_string(1759708800000 + m * 60000) + ",2500,2510,2490,2505," + std::to_string(50 + m % 3) + "\n";
  return text;
}

TEST(CliSymbols, AnEthFileTakesTheEthScheduleAndSaysSo) {
  const fs::path out = scratch("out-eth");
  const auto run = run_cli("compute --market " + write("ETHUSDT-1m-2025-10.csv", bars()).string() +
                           " --bins 64 --samples 2 --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("margin schedules for ETH (from the file name ETHUSDT-1m-2025-10.csv): binance: "
                         "binance-usdm-ethusdt (as of 2024-09-27)"),
            std::string::npos)
      << run.err;
  const std::string axes = liqmap::testing::slurp(out / "axes.json");
  EXPECT_NE(axes.find("\"binance-usdm-ethusdt\""), std::string::npos);
  EXPECT_NE(axes.find("\"symbol\": \"ETHUSDT\""), std::string::npos);
  EXPECT_EQ(axes.find("btcusdt"), std::string::npos);
}

TEST(CliSymbols, TheConfigSymbolPicksEveryExchangesScheduleAndUnconfirmedValuesAreSaid) {
  const fs::path config = write("sol.json", R"({"symbol": "SOLUSDT", "exchanges": [{"name": "okx", "share": 0.6},
                                                {"name": "hyperliquid", "share": 0.4}]})");
  const fs::path out = scratch("out-sol");
  const auto run = run_cli("compute --market " + write("prices.csv", bars()).string() + " --config " + config.string() +
                           " --bins 64 --samples 2 --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("okx: okx-swap-sol-usdt (as of 2025-05-16), hyperliquid: hyperliquid-sol"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("UNCONFIRMED"), std::string::npos) << run.err;
}

TEST(CliSymbols, TheSymbolOptionNamesTheCoinOfFilesThatDoNot) {
  const fs::path plain = write("candles-1m.csv", bars());
  const fs::path out = scratch("out-symbol-option");
  const auto run = run_cli("compute --market " + plain.string() + " --symbol SOLUSDT --bins 64 --samples 2 --out " +
                           out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("margin schedules for SOL"), std::string::npos) << run.err;
  std::ifstream axes_file(out / "axes.json");
  const std::string axes((std::istreambuf_iterator<char>(axes_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(axes.find("binance-usdm-solusdt"), std::string::npos);
  const auto unknown = run_cli("compute --market " + plain.string() + " --symbol DOGEUSDT --out " +
                               scratch("out-doge").string());
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_NE(unknown.err.find("binance-usdm-ethusdt"), std::string::npos) << unknown.err;  // the known ones listed
  const auto contradicted = run_cli("compute --market " + write("ETHUSDT-1m-x.csv", bars()).string() +
                                    " --symbol SOLUSDT --out " + scratch("out-contradicted").string());
  EXPECT_EQ(contradicted.exit_code, 3) << contradicted.err;
}

TEST(CliSymbols, ANameWithNoCoinKeepsTheBtcDefaultAndSaysSo) {
  const auto run = run_cli("compute --market " + write("prices.csv", bars()).string() + " --bins 64 --samples 2 --out " +
                           scratch("out-plain").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("no coin in the config ('symbol') or the file names: the margin schedules are "
                         "binance-usdm-btcusdt"),
            std::string::npos)
      << run.err;
}

TEST(CliSymbols, ANamedBtcScheduleForAnEthFileIsRefused) {
  const fs::path config = write("btc.json", R"({"exchanges": [{"name": "binance", "schedule": "binance-usdm-btcusdt"}]})");
  const fs::path out = scratch("out-refused");
  const auto run = run_cli("compute --market " + write("ETHUSDT-1m-2025-11.csv", bars()).string() + " --config " +
                           config.string() + " --out " + out.string());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("the file name ETHUSDT-1m-2025-11.csv says ETH, but exchanges[0].schedule "
                         "binance-usdm-btcusdt is for BTC"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliSymbols, FilesOfTwoCoinsOrAFileAgainstTheConfigSymbolAreRefused) {
  const auto two = run_cli("compute --market " + write("ETHUSDT-1m-a.csv", bars()).string() + " --oi " +
                           write("SOL-USDT-SWAP-open-interest.csv", "ts,oi\n1759708800000,5\n").string() + " --out " +
                           scratch("out-two").string());
  EXPECT_EQ(two.exit_code, 3) << two.err;
  EXPECT_NE(two.err.find("SOL-USDT-SWAP-open-interest.csv: the file name says SOL, but the file name "
                         "ETHUSDT-1m-a.csv says ETH"),
            std::string::npos)
      << two.err;
  const fs::path config = write("eth.json", R"({"symbol": "ETH"})");
  const auto against = run_cli("compute --market " + write("SOLUSDT-1m-b.csv", bars()).string() + " --config " +
                               config.string() + " --out " + scratch("out-against").string());
  EXPECT_EQ(against.exit_code, 3) << against.err;
  EXPECT_NE(against.err.find("the file name says SOL, but the config's symbol \"ETH\" says ETH"), std::string::npos)
      << against.err;
}

// A name that says USD is not enough for the inverse (COIN-M) schedules: the data or --symbol
// must say it; and words that are not coins (OI, USD, 4h) name no coin (issue 27 item 3).
TEST(CliSymbols, AUsdInTheFileNameAloneKeepsTheUsdMarginedSchedules) {
  const fs::path candles = write("BTC-USD-1h.csv", bars());
  const auto run = run_cli("compute --market " + candles.string() + " --bins 64 --samples 2 --out " +
                           scratch("out-btc-usd").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("margin schedules for BTC (from the file name BTC-USD-1h.csv): binance: binance-usdm-btcusdt"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("the file name BTC-USD-1h.csv says USD, but nothing in the data says an inverse "
                         "(coin-margined) contract, so the USD-margined schedules apply; give --symbol BTCUSD"),
            std::string::npos)
      << run.err;
  const auto asked = run_cli("compute --market " + candles.string() + " --symbol BTCUSD --bins 64 --samples 2 --out " +
                             scratch("out-btc-usd-coinm").string());
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_NE(liqmap::testing::slurp(scratch("out-btc-usd-coinm") / "axes.json").find("binance-coinm-btcusd"),
            std::string::npos);
}

TEST(CliSymbols, WordsThatAreNotCoinsNameNoCoin) {
  std::string oi = "ts,oi_usd\n";
  for (int m = 0; m < 30; m += 5) oi += std::to_string(1759708800000 + m * 60000) + ",1.25e9\n";
  const auto run = run_cli("compute --market " + write("btcusdt_1m.csv", bars()).string() + " --oi " +
                           write("oi_usd_4h.csv", oi).string() + " --bins 64 --samples 2 --out " +
                           scratch("out-oi-usd").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("margin schedules for BTC (from the file name btcusdt_1m.csv)"), std::string::npos) << run.err;
}

}  // namespace
