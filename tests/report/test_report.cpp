// The report's files (clusters.json, tracks.csv, review.md), number formats, and reading a
// run back from its output folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "liqmap/error.hpp"
#include "app/standard_outputs.hpp"
#include "outputs/outputs.hpp"
#include "report/density.hpp"
#include "report/format.hpp"
#include "text/human_format.hpp"
#include "report/report.hpp"
#include "report/saved_run.hpp"
#include "report_fixtures.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::testing;
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// An empty folder for one test, removed when the test ends.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("liqmap-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

// 100 bins over [50, 150], 48 hourly columns, close oscillating around 100.
// Shorts: a large cluster at 120 and two close ones at 110/113 (a stacked zone);
// longs: one at 85, swept when the close dips to 85 at step 30 (it vanishes after).
struct SampleRun {
  Result result = make_result(100, 48, 50, 150);
  Market market;
  Config config = default_config();
  SampleRun() {
    std::vector<double> close;
    for (std::size_t t = 0; t < 48; ++t) close.push_back(100 + 4 * std::sin(double(t) * 0.4));
    close[30] = 85.5;
    market = make_market(close, 0.001);
    auto bump = [&](Grid& g, std::size_t bin, double height, std::size_t c) {
      g.at(bin, c) += height;
      g.at(bin - 1, c) += height / 2;
      g.at(bin + 1, c) += height / 2;
    };
    for (std::size_t c = 0; c < 48; ++c) {
      bump(result.smooth_short, 70, 10, c);  // centre 120.5
      bump(result.smooth_short, 60, 6, c);   // 110.5
      bump(result.smooth_short, 63, 5, c);   // 113.5
      if (c < 30) bump(result.smooth_long, 35, 7, c);  // 85.5
    }
  }
};

report::Analysis analyse_run(const SampleRun& run, report::ReportOptions o = {}) {
  o.cluster_every = 1;
  o.pivot_window = 2;
  o.level_lookback = 48;
  return report::analyse(run.result, run.market, run.config, o);
}

TEST(ReportFormat, NumbersReadAsATraderWritesThem) {
  EXPECT_EQ(report::format_usd(950), "$950");
  EXPECT_EQ(report::format_usd(12345), "$12.3k");
  EXPECT_EQ(report::format_usd(999960), "$1.00M");
  EXPECT_EQ(report::format_usd(4.214e6), "$4.21M");
  EXPECT_EQ(report::format_usd(1.05e9), "$1.05B");
  EXPECT_EQ(report::format_usd(250e6), "$250M");
  EXPECT_EQ(report::format_price(67250.4), "67,250");
  EXPECT_EQ(report::format_price(1234567), "1,234,567");
  EXPECT_EQ(report::format_price(12.345), "12.35");
  EXPECT_EQ(report::format_percent(4.3149), "+4.31%");
  EXPECT_EQ(report::format_percent(-0.5), "-0.50%");
  EXPECT_EQ(report::format_utc(kStartTs + 5 * kStepMs), "2026-01-01 05:00 UTC");
  EXPECT_EQ(report::format_iso(kStartTs), "2026-01-01T00:00:00Z");
}

TEST(Report, AnalysisUsesTheAskedTimeAndRejectsBadOptions) {
  const SampleRun run;
  report::ReportOptions o;
  o.at_ts = kStartTs + 20 * kStepMs + 59;
  EXPECT_EQ(analyse_run(run, o).clusters.column, 20u);
  EXPECT_EQ(analyse_run(run).clusters.column, 47u);  // config default: the last column
  o.at_ts = kStartTs - 1;
  EXPECT_THROW(analyse_run(run, o), Error);
  o = {};
  o.width = 10;
  EXPECT_THROW(report::validate(o), Error);
  o = {};
  o.cap_percentile = 0;
  EXPECT_THROW(report::validate(o), Error);
  o = {};
  o.from_ts = 5;
  o.to_ts = 5;
  EXPECT_THROW(report::validate(o), Error);
}

TEST(Report, ClustersJsonCarriesSectionSevenLevelsAndTracks) {
  const SampleRun run;
  const report::Analysis a = analyse_run(run);
  const TempDir dir("clusters-json");
  report::write_clusters_json((dir / "clusters.json").string(), run.result, a);
  const auto doc = nlohmann::json::parse(slurp(dir / "clusters.json"));

  ASSERT_EQ(doc["peaks"].size(), a.clusters.peaks.size());
  EXPECT_EQ(doc["peaks"][0]["bin"], 70);
  EXPECT_EQ(doc["peaks"][0]["side"], "above");
  EXPECT_DOUBLE_EQ(doc["peaks"][0]["price"].get<double>(), 120.5);
  EXPECT_EQ(doc["summary"]["bias"], a.clusters.summary.bias);
  EXPECT_DOUBLE_EQ(doc["summary"]["largest_above"]["price"].get<double>(), 120.5);
  EXPECT_TRUE(doc["summary"]["largest_below"].is_null());  // the long cluster was swept
  EXPECT_EQ(doc["zones"].size(), a.clusters.zones.size());
  bool stacked = false;
  for (const auto& z : doc["zones"]) stacked = stacked || z["stacked"].get<bool>();
  EXPECT_TRUE(stacked);
  EXPECT_EQ(doc["cumulative"]["short_above_usd"].size(), 100u);
  EXPECT_EQ(doc["levels"].size(), a.levels.size());
  EXPECT_FALSE(a.levels.empty());
  ASSERT_EQ(doc["tracks"].size(), a.tracks.size());
  std::size_t swept = 0;
  for (const auto& t : doc["tracks"])
    if (t["status"] == "swept") {
      ++swept;
      EXPECT_EQ(t["swept_ts"], run.market.ts[30]);
      EXPECT_DOUBLE_EQ(t["swept_price"].get<double>(), 85.5);
    }
  EXPECT_EQ(swept, 1u);
  EXPECT_EQ(doc["time"], "2026-01-02T23:00:00Z");
}

TEST(Report, TracksCsvHasOneRowPerSample) {
  const SampleRun run;
  const report::Analysis a = analyse_run(run);
  const TempDir dir("tracks-csv");
  report::write_tracks_csv((dir / "tracks.csv").string(), a);
  std::ifstream in(dir / "tracks.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "track,ts,price,usd,prominence_usd,side,distance_pct,birth_ts,status,swept_ts");
  std::size_t rows = 0, swept_rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    if (line.find(",swept," + std::to_string(run.market.ts[30])) != std::string::npos) ++swept_rows;
  }
  std::size_t samples = 0;
  for (const auto& t : a.tracks) samples += t.samples.size();
  EXPECT_EQ(rows, samples);
  EXPECT_EQ(swept_rows, 30u);  // the long cluster, seen at columns 0..29
}

TEST(Report, ReviewFillsTheArticlesTableWithThisRunsNumbers) {
  const SampleRun run;
  report::ReportOptions o;
  o.at_ts = kStartTs + 10 * kStepMs;
  const report::Analysis a = analyse_run(run, o);
  const TempDir dir("review");
  report::write_review_md((dir / "review.md").string(), run.result, a);
  const std::string md = slurp(dir / "review.md");
  const Peak& above = *a.clusters.summary.largest_above;
  const Peak& below = *a.clusters.summary.largest_below;
  const auto density = [&](const Peak& p) {
    for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i)
      if (a.clusters.peaks[i].bin == p.bin) return a.peak_usd_per_tenth_pct[i];
    return -1.0;
  };
  EXPECT_NE(md.find("| Largest cluster above price | Short liquidations of **" + report::format_usd(density(above)) +
                    " per 0.1% of price** at **" + report::format_price(above.price) + "** (" +
                    report::format_percent(above.distance_pct) + " from price; " + report::format_usd(above.value) +
                    " in its $1.00 bin)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Long liquidations of **" + report::format_usd(density(below)) + " per 0.1% of price** at **" +
                    report::format_price(below.price) + "** (" + report::format_percent(below.distance_pct)),
            std::string::npos);
  EXPECT_NE(md.find("Price bins are $1.00 wide (100 bins)"), std::string::npos);
  EXPECT_NE(md.find(a.clusters.summary.bias == "dominant_above" ? "**Dominant above**" : "**Balanced**"),
            std::string::npos);
  EXPECT_NE(md.find("stacked zone"), std::string::npos);
  EXPECT_NE(md.find("Never trade the map alone"), std::string::npos);
  EXPECT_NE(md.find("Zones, not targets"), std::string::npos);
  EXPECT_NE(md.find("Estimates, not exchange data"), std::string::npos);
  EXPECT_NE(md.find("As of **2026-01-01 10:00 UTC**"), std::string::npos);
}

TEST(Report, NpyRoundTripKeepsFloat32Values) {
  Grid g(3, 4);
  for (std::size_t i = 0; i < g.data.size(); ++i) g.data[i] = 0.1 * double(i) + 1e6;
  const TempDir dir("npy");
  detail::write_npy((dir / "g.npy").string(), g);
  const Grid back = detail::read_npy((dir / "g.npy").string());
  ASSERT_EQ(back.rows, 3u);
  ASSERT_EQ(back.cols, 4u);
  for (std::size_t i = 0; i < g.data.size(); ++i) EXPECT_EQ(back.data[i], double(float(g.data[i])));
  std::ofstream((dir / "bad.npy").string()) << "not numpy";
  EXPECT_THROW(detail::read_npy((dir / "bad.npy").string()), Error);
}

TEST(Report, ASavedRunReadsBackToTheSameClusters) {
  const SampleRun run;
  const TempDir dir("saved");
  detail::OutputSet(dir.path.string()).write_and_commit(app::standard_outputs(run.result, run.market, run.config));
  for (const char* name : {"clusters.json", "tracks.csv", "review.md", "prices.csv"})
    EXPECT_TRUE(fs::exists(dir / name)) << name;
  const report::SavedRun saved = report::load_saved_run(dir.path.string());
  EXPECT_EQ(saved.result.axes.column_ts, run.result.axes.column_ts);
  EXPECT_EQ(saved.result.axes.price_edges, run.result.axes.price_edges);
  EXPECT_EQ(saved.market.close, run.market.close);
  EXPECT_EQ(saved.market.low, run.market.low);
  EXPECT_EQ(saved.config.clusters.top, run.config.clusters.top);
  const report::Analysis before = analyse_run(run);
  report::ReportOptions o;
  o.cluster_every = 1;
  o.pivot_window = 2;
  o.level_lookback = 48;
  const report::Analysis after = report::analyse(saved.result, saved.market, saved.config, o);
  ASSERT_EQ(after.clusters.peaks.size(), before.clusters.peaks.size());
  for (std::size_t i = 0; i < before.clusters.peaks.size(); ++i)
    EXPECT_EQ(after.clusters.peaks[i].bin, before.clusters.peaks[i].bin);
  EXPECT_EQ(after.tracks.size(), before.tracks.size());
  fs::remove(dir / "prices.csv");
  EXPECT_THROW(report::load_saved_run(dir.path.string()), Error);
}

}  // namespace

namespace {

// A smooth cluster binned at `bins` bins: each bin holds the exact integral of a Gaussian
// density (USD per price unit) centred at 60,000 with sigma 300 over [40,000, 80,000].
std::pair<std::vector<double>, std::vector<double>> binned_cluster(std::size_t bins) {
  std::vector<double> edges, per_bin;
  const auto cdf = [](double p) { return 0.5 * std::erfc(-(p - 60000) / (300 * std::sqrt(2.0))); };
  for (std::size_t b = 0; b <= bins; ++b) edges.push_back(40000 + 40000 * double(b) / double(bins));
  for (std::size_t b = 0; b < bins; ++b) per_bin.push_back(1e9 * (cdf(edges[b + 1]) - cdf(edges[b])));
  return {per_bin, edges};
}

TEST(Density, UsdPerTenthPercentIsTheSameAtAnyBinCountWhileUsdInBinIsNot) {
  std::vector<double> density, in_bin;
  for (std::size_t bins : {512, 2048, 8192}) {
    const auto [per_bin, edges] = binned_cluster(bins);
    density.push_back(report::usd_per_tenth_percent(per_bin, edges, 60000));
    in_bin.push_back(*std::max_element(per_bin.begin(), per_bin.end()));
  }
  // The window holds +-0.25% = +-150 around the peak: about 38% of a sigma-300 Gaussian's $1B,
  // spread over five units of 0.1%.
  const double expected = 1e9 * std::erf(150 / (300 * std::sqrt(2.0))) / 5;
  for (double d : density) EXPECT_NEAR(d, expected, expected * 0.01);
  EXPECT_GT(in_bin[0] / in_bin[2], 10);  // the per-bin number shrinks with the bins: not quotable
}

TEST(Density, ABinWiderThanTheWindowCountsByItsShareInside) {
  const std::vector<double> edges = {0, 1000, 2000}, per_bin = {0, 1000};
  // Window 1500 +- 3.75 lies inside the second bin: 7.5/1000 of its $1,000 over five units.
  EXPECT_NEAR(report::usd_per_tenth_percent(per_bin, edges, 1500), 1000 * 7.5 / 1000 / 5, 1e-9);
  EXPECT_EQ(report::usd_per_tenth_percent(per_bin, edges, 5000), 0);  // outside the axis
  EXPECT_EQ(report::usd_per_tenth_percent({}, {}, 1500), 0);
}

TEST(Report, ClustersJsonGivesTheBinWidthAndEachPeaksDensity) {
  const SampleRun run;
  const report::Analysis a = analyse_run(run);
  const TempDir dir("density");
  report::write_clusters_json((dir / "clusters.json").string(), run.result, a);
  const nlohmann::json doc = nlohmann::json::parse(slurp(dir / "clusters.json"));
  EXPECT_DOUBLE_EQ(doc.at("bin_width").at("price").get<double>(), 1.0);
  EXPECT_EQ(doc.at("bin_width").at("text"), "$1.00");
  ASSERT_FALSE(doc.at("peaks").empty());
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i) {
    EXPECT_DOUBLE_EQ(doc["peaks"][i].at("usd_per_0.1pct").get<double>(), a.peak_usd_per_tenth_pct[i]);
    EXPECT_GT(a.peak_usd_per_tenth_pct[i], 0);
  }
}

TEST(Format, NumbersReadAsPeopleWriteThem) {
  EXPECT_EQ(text::shortest(90771.78), "90771.78");
  EXPECT_EQ(text::usd(2.1246475373e16), "$21,246T");
  EXPECT_EQ(text::usd(3.12e14), "$312T");
  EXPECT_EQ(text::usd(999960), "$1.00M");
  EXPECT_EQ(text::usd(-4213000), "-$4.21M");
  EXPECT_EQ(text::compact(17900000), "17.9M");
  EXPECT_EQ(text::compact(950), "950");
  EXPECT_EQ(text::duration_ms(300000), "5 min");
  EXPECT_EQ(text::duration_ms(5400000), "1.5 h");
  EXPECT_EQ(text::duration_ms(45000), "45 s");
  EXPECT_EQ(text::duration_ms(3 * 86400e3), "3 d");
  EXPECT_EQ(text::duration_ms(250), "250 ms");
  Result log_run = make_result(10, 2, 100, 200);
  log_run.axes.scale = PriceScale::log;
  EXPECT_EQ(report::format_bin_width(log_run.axes), "7.18%");  // 2^(1/10) - 1
  EXPECT_EQ(report::format_bin_width(make_result(100, 2, 50, 150).axes), "$1.00");
  EXPECT_EQ(report::format_price_to_tick(59387.13, 0.01), "59,387.13");
  EXPECT_EQ(report::format_price_to_tick(90771.8, 0.1), "90,771.8");
  EXPECT_EQ(report::format_price_to_tick(0.123456, 0.00001), "0.12346");
  EXPECT_EQ(report::format_price_to_tick(1234567, 1), "1,234,567");
  EXPECT_EQ(report::format_price_to_tick(59387.13, 0), "59,387");  // tick unknown: as format_price
  EXPECT_DOUBLE_EQ(report::price_tick({59387.13, 59254.9, 59003}), 0.01);
  EXPECT_DOUBLE_EQ(report::price_tick({0.12345, 0.1234}), 1e-5);
  EXPECT_DOUBLE_EQ(report::price_tick({100, 101}), 1);
  EXPECT_EQ(report::price_tick({65013.085461055016}), 0);  // a computed price: no tick to show
}

}  // namespace

namespace {

// The compiler's own float -> half conversion, where it has one (GCC 12 and clang 15 on x86-64).
#if defined(__FLT16_MAX__)
std::uint16_t reference_half(float v) {
  const _Float16 h = static_cast<_Float16>(v);
  std::uint16_t bits;
  std::memcpy(&bits, &h, 2);
  return bits;
}
#endif

TEST(Npy, TheFastHalfConversionMatchesTheCompilersBitForBit) {
#if !defined(__FLT16_MAX__)
  GTEST_SKIP() << "this compiler has no _Float16 to compare with";
#else
  // Every float whose top 20 bits vary (low bits fixed at patterns that hit ties and near-ties),
  // which covers zeros, subnormals, normals, the overflow edge, inf and NaN, both signs.
  for (std::uint32_t high = 0; high < (1u << 20); ++high)
    for (std::uint32_t low : {0x000u, 0x001u, 0x800u, 0xfffu, 0x7ffu, 0x801u}) {
      const std::uint32_t bits = (high << 12) | low;
      float v;
      std::memcpy(&v, &bits, 4);
      if (v != v) continue;  // NaN payloads differ by design; checked below
      ASSERT_EQ(detail::float_to_half_bits(v), reference_half(v)) << std::hex << bits;
    }
  const std::uint16_t nan = detail::float_to_half_bits(std::nanf(""));
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
#endif
}

TEST(Npy, EveryHalfReadsAsTheFloatItHolds) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto half = static_cast<std::uint16_t>(h);
    const float v = detail::half_bits_to_float(half);
    if ((half & 0x7c00) == 0x7c00 && (half & 0x03ff) != 0) {
      EXPECT_TRUE(std::isnan(v)) << std::hex << h;
      continue;
    }
    ASSERT_EQ(detail::float_to_half_bits(v), half) << std::hex << h;  // exact both ways
  }
  EXPECT_EQ(detail::half_bits_to_float(0x3c00), 1.0f);
  EXPECT_EQ(detail::half_bits_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(detail::half_bits_to_float(0xfbff), -65504.0f);
}

TEST(Npy, Float16GridsReadBackWithinHalfPrecision) {
  Grid g(2, 3);
  const double values[] = {0, 1.5, 1234.5, 65504, 1e-6, 70000};
  std::copy(std::begin(values), std::end(values), g.data.begin());
  const TempDir dir("npy16");
  detail::write_npy((dir / "g.npy").string(), g, detail::GridType::float16);
  EXPECT_EQ(fs::file_size(dir / "g.npy"), 128u + 6 * 2);
  const Grid back = detail::read_npy((dir / "g.npy").string());
  EXPECT_EQ(back.data[1], 1.5);
  EXPECT_EQ(back.data[2], 1234.0);  // ties to even at a step of 1
  EXPECT_EQ(back.data[3], 65504.0);
  EXPECT_NEAR(back.data[4], 1e-6, 3e-8);
  EXPECT_TRUE(std::isinf(back.data[5]));
}

}  // namespace
