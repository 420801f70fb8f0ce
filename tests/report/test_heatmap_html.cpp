// heatmap.html's data side: the 16-bit quantisation, base64, the grid's downsampling, and the
// page's embedded JSON (same cap and colours as heatmap.png, clusters, a title that cannot end
// the script early). The page itself is tested in a real browser (report/browser/).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/standard_outputs.hpp"
#include "liqmap/error.hpp"
#include "report/colormap.hpp"
#include "report/heatmap_html.hpp"
#include "report/heatmap_raster.hpp"
#include "report_fixtures.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::testing;
namespace fs = std::filesystem;

const double kHalfStep = std::pow(10.0, report::kPageDecades / 65534 / 2) - 1;  // relative

TEST(PageQuantisation, ComesBackWithinHalfAStepOverNineDecades) {
  const double max = 7.3e8;
  EXPECT_EQ(report::quantise_usd(max, max), 65535);
  EXPECT_EQ(report::quantise_usd(0, max), 0);
  EXPECT_EQ(report::quantise_usd(-5, max), 0);
  EXPECT_EQ(report::quantise_usd(max * 1e-12, max), 0);
  EXPECT_EQ(report::dequantise_usd(0, max), 0.0);
  for (double f = 1e-9; f <= 1; f *= 1.37) {
    const double back = report::dequantise_usd(report::quantise_usd(f * max, max), max);
    EXPECT_NEAR(back / (f * max), 1.0, kHalfStep * 1.001) << "at " << f;
  }
}

TEST(PageQuantisation, Base64MatchesRfc4648) {
  const auto b64 = [](const std::string& s) {
    return report::base64(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
}

TEST(PageGrid, KeepsEverythingWhenItFits) {
  Result r = make_result(20, 30, 100, 200);
  r.smooth_long.at(3, 7) = 5;
  r.smooth_short.at(15, 29) = 9;
  const report::PageGrid g = report::page_grid(r, 29);
  EXPECT_EQ(g.columns.size(), 30u);
  EXPECT_EQ(g.bins, 20u);
  EXPECT_EQ(g.bin_group, 1u);
  EXPECT_EQ(g.max_usd, 9.0);
  EXPECT_EQ(g.longs[7 * 20 + 3], report::quantise_usd(5, 9));
  EXPECT_EQ(g.shorts[29 * 20 + 15], 65535);
  EXPECT_EQ(g.longs[0], 0);
}

TEST(PageGrid, AnOverviewOfStridedColumnsAndTheLatestAtFullResolution) {
  Result r = make_result(10, 1000, 100, 200);
  for (std::size_t c = 0; c < 1000; ++c)
    for (std::size_t b = 0; b < 10; ++b) {
      r.smooth_long.at(b, c) = double(b + 1);
      r.smooth_short.at(b, c) = double(c + 1);
    }
  // 10 bins x 256 columns > 2,500 cells: pairs of bins are summed (5 rows). Half the cells go to
  // every 4th column, the other half to the last 250 columns, all kept.
  const report::PageGrid g = report::page_grid(r, 500, 2500);
  EXPECT_EQ(g.bin_group, 2u);
  EXPECT_EQ(g.bins, 5u);
  EXPECT_EQ(g.column_stride, 4u);
  EXPECT_EQ(g.full_resolution_from, 750u);
  ASSERT_TRUE(std::is_sorted(g.columns.begin(), g.columns.end()));
  EXPECT_EQ(g.columns.front(), 0u) << "the first column is kept";
  EXPECT_EQ(g.columns[1], 3u);
  EXPECT_EQ(g.columns.back(), 999u);
  EXPECT_NE(std::find(g.columns.begin(), g.columns.end(), 500u), g.columns.end()) << "the cluster column is kept";
  const auto tail = std::find(g.columns.begin(), g.columns.end(), 750u);
  ASSERT_NE(tail, g.columns.end());
  EXPECT_EQ(g.columns.end() - tail, 250) << "every column from 750 on";
  EXPECT_EQ(*(tail - 1), 747u) << "every 4th before it, counted back from the last";
  EXPECT_LE((g.columns.size() - 2) * g.bins, 2500u);
  for (std::size_t i = 0; i < g.columns.size(); ++i)
    for (std::size_t pb = 0; pb < g.bins; ++pb) {
      const double longs = double(2 * pb + 1) + double(2 * pb + 2);  // two bins summed
      const double shorts = 2.0 * double(g.columns[i] + 1);
      EXPECT_NEAR(report::dequantise_usd(g.longs[i * g.bins + pb], g.max_usd), longs, longs * kHalfStep * 1.001);
      EXPECT_NEAR(report::dequantise_usd(g.shorts[i * g.bins + pb], g.max_usd), shorts, shorts * kHalfStep * 1.001);
    }
}

TEST(PageGrid, TheMemoryCheckCountsTheLargestPageThatCanBeWritten) {
  const report::ReportOptions o;
  const double codes = 2.0 * 2 * report::kPageMaxCells;
  EXPECT_GE(report::page_memory_bytes(2048, o, 2), codes * (1 + 8.0 / 3));
  EXPECT_GT(report::page_memory_bytes(8192, o, 2), report::page_memory_bytes(2048, o, 2)) << "the edges grow with the bins";
  // The cap's raster is the picture's size whatever the grid's: a million bins add only their edges.
  EXPECT_DOUBLE_EQ(report::page_memory_bytes(1000000, o, 2) - report::page_memory_bytes(2048, o, 2), 48.0 * (1000000 - 2048));
}

// A run with clusters above and below the close, as the report tests build it.
struct PageRun {
  Result result = make_result(100, 48, 50, 150);
  Market market;
  Config config = default_config();
  PageRun() {
    std::vector<double> close;
    for (std::size_t t = 0; t < 48; ++t) close.push_back(100 + 4 * std::sin(double(t) * 0.4));
    market = make_market(close, 0.001);
    for (std::size_t c = 0; c < 48; ++c) {
      result.smooth_short.at(70, c) = 10;  // 120.5
      result.smooth_long.at(35, c) = 7;    // 85.5
    }
  }
};

nlohmann::json page_json(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"liqmap-data\">";
  const std::size_t from = page.find(open) + open.size();
  return nlohmann::json::parse(page.substr(from, page.find("</script>", from) - from));
}

TEST(HeatmapHtml, CarriesThePngsCapColoursAndClusters) {
  const PageRun run;
  report::ReportOptions o;
  o.title = "BTC </script><script>alert(1)</script>";
  const report::Analysis a = report::analyse(run.result, run.market, run.config, o);
  const fs::path path = fs::temp_directory_path() / ("liqmap-test-page-" + std::to_string(::getpid()) + ".html");
  report::write_heatmap_html(path.string(), run.result, run.market, a);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  fs::remove(path);
  const std::string page = text.str();

  EXPECT_NE(page.find("window.liqmapTest"), std::string::npos) << "the page's script is embedded";
  EXPECT_NE(page.find("#tip"), std::string::npos) << "its style sheet is embedded";
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos) << "the title cannot end the data script";
  const nlohmann::json d = page_json(page);
  EXPECT_EQ(d["title"], o.title);
  EXPECT_EQ(d["ts"].size(), 48u);
  EXPECT_EQ(d["ts"][47], run.result.axes.column_ts[47]);
  EXPECT_DOUBLE_EQ(d["close"][10].get<double>(), run.market.close[10]);
  EXPECT_EQ(d["price_edges"].size(), 101u);
  EXPECT_EQ(d["long"].get<std::string>().size(), (48u * 100 * 2 + 2) / 3 * 4);  // base64 of 16-bit codes

  const report::PictureLayout layout = report::picture_layout(run.result, run.market, a.options);
  const double cap = report::intensity_cap(report::rasterise(run.result.smooth_long, run.result.smooth_short, layout.plot),
                                           a.options.cap_percentile);
  EXPECT_EQ(d["colour"]["cap_usd"].get<double>(), cap);
  EXPECT_EQ(d["colour"]["table"].size(), 256u);
  const report::Rgb top = report::colour_at(1.0);
  EXPECT_EQ(d["colour"]["table"][255], nlohmann::json({top.r, top.g, top.b}));
  ASSERT_FALSE(d["clusters"]["peaks"].empty());
  EXPECT_DOUBLE_EQ(d["clusters"]["peaks"][0]["price"].get<double>(), 120.5);
  EXPECT_EQ(d["clusters"]["ts"], run.result.axes.column_ts[47]);
  EXPECT_EQ(d["clusters"]["zones"].size(), a.clusters.zones.size());
}

TEST(HeatmapHtml, StopsWhenCancelledAndWritesNothing) {
  const PageRun run;
  const report::Analysis a = report::analyse(run.result, run.market, run.config, {});
  const fs::path path = fs::temp_directory_path() / ("liqmap-test-cancel-" + std::to_string(::getpid()) + ".html");
  int polls = 0;
  try {
    report::write_heatmap_html(path.string(), run.result, run.market, a, [&polls] { return ++polls == 2; });
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  EXPECT_EQ(polls, 2);
  EXPECT_FALSE(fs::exists(path));
}

TEST(HeatmapHtml, IsOneOfTheStandardOutputsAndCanBeTurnedOff) {
  EXPECT_TRUE(app::OutputChoice{}.html);
  EXPECT_TRUE(app::is_standard_output("heatmap.html"));
  const app::OutputChoice only = app::parse_output_choice("html");
  EXPECT_TRUE(only.html);
  EXPECT_FALSE(only.png || only.npy || only.review || only.clusters);
  EXPECT_FALSE(app::parse_output_choice("png,npy").html);
  EXPECT_TRUE(app::parse_output_choice("all").html);

  const PageRun run;
  const auto names = [&](const app::OutputChoice& choice) {
    std::vector<std::string> out;
    for (const auto& f : app::standard_outputs(run.result, run.market, run.config, {}, choice)) out.push_back(f.name);
    return out;
  };
  const auto with = names({});
  EXPECT_NE(std::find(with.begin(), with.end(), "heatmap.html"), with.end());
  const auto without = names(app::parse_output_choice("png,review,clusters,npy"));
  EXPECT_EQ(std::find(without.begin(), without.end(), "heatmap.html"), without.end());
}

}  // namespace
