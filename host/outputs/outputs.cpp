#include "outputs/outputs.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>

#include "liqmap/error.hpp"
#include "report/report_outputs.hpp"

namespace liqmap::detail {
namespace fs = std::filesystem;

namespace {

std::ofstream open_for_writing(const std::string& path, std::ios::openmode mode = std::ios::out) {
  std::ofstream out(path, mode | std::ios::trunc);
  if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "'");
  return out;
}

void close_checked(std::ofstream& out, const std::string& path) {
  out.close();
  if (!out) throw Error(ErrorCode::io, "writing '" + path + "' failed (disk full?)");
}

void write_liquidations_csv(const std::string& path, const Result& result, const Market& market) {
  std::ofstream out = open_for_writing(path);
  out << "ts,long_usd,short_usd\n" << std::setprecision(17);
  for (std::size_t t = 0; t < market.size(); ++t)
    out << market.ts[t] << ',' << result.liq_long[t] << ',' << result.liq_short[t] << '\n';
  close_checked(out, path);
}

void write_json(const std::string& path, const nlohmann::json& doc) {
  std::ofstream out = open_for_writing(path);
  out << doc.dump(1) << '\n';
  close_checked(out, path);
}

}  // namespace

void write_npy(const std::string& path, const Grid& grid) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(grid.rows) + ", " + std::to_string(grid.cols) + "), }";
  // Magic (6) + version (2) + length (2) + header + '\n' padded to a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out = open_for_writing(path, std::ios::binary);
  const unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                      static_cast<unsigned char>(header.size() & 0xff),
                                      static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(preamble), sizeof preamble);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  std::vector<float> row(grid.cols);
  for (std::size_t r = 0; r < grid.rows; ++r) {
    for (std::size_t c = 0; c < grid.cols; ++c) row[c] = static_cast<float>(grid.at(r, c));
    out.write(reinterpret_cast<const char*>(row.data()), static_cast<std::streamsize>(row.size() * sizeof(float)));
  }
  close_checked(out, path);
}

// Per column: the open interest, the map's total and their ratio (null without OI flow).
nlohmann::json coverage_json(const Result& result) {
  const Axes& a = result.axes;
  if (a.column_oi_usd.empty()) return nullptr;
  nlohmann::json j = {{"oi_usd", a.column_oi_usd}, {"book_usd", a.column_book_usd}};
  std::vector<double> map_usd, share, outside;
  for (std::size_t c = 0; c < a.column_oi_usd.size(); ++c) {
    const auto cov = oi_coverage(result, static_cast<long>(c));
    map_usd.push_back(cov ? cov->map_usd : 0.0);
    share.push_back(cov ? cov->map_share : 0.0);
    outside.push_back(cov ? cov->out_of_range_share : 0.0);
  }
  j["map_usd"] = map_usd;
  j["covered_share"] = share;
  j["out_of_range_share"] = outside;
  j["meaning"] = "covered_share = map total (raw, both sides) / open interest; out_of_range_share = live positions "
                 "outside the price axis or never liquidatable / open interest";
  return j;
}

nlohmann::json axes_json(const Result& result, const Config& config) {
  const Axes& a = result.axes;
  return {{"shape", {a.price_centres.size(), a.column_ts.size()}},
          {"layout", "row = price bin (row 0 = lowest price), column = time"},
          {"price_scale", to_string(a.scale)},
          {"price_min", a.price_min},
          {"price_max", a.price_max},
          {"price_edges", a.price_edges},
          {"price_centres", a.price_centres},
          {"column_ts", a.column_ts},
          {"column_step", a.column_step},
          {"steps", a.steps},
          {"units", {{"price", "quote currency (USD/USDT) per coin"},
                     {"heatmap", "USD notional that would be liquidated in the bin (smoothed)"},
                     {"ts", "ms since the Unix epoch, UTC"}}},
          {"config", nlohmann::json::parse(config_to_json(config))},
          {"coverage", coverage_json(result)},
          {"stats", stats_json(result.stats)}};
}

std::vector<OutputFile> standard_outputs(const Result& result, const Market& market, const Config& config,
                                         const report::ReportOptions& report) {
  std::vector<OutputFile> files = {
      {"heatmap.npy", [&](const std::string& p) { write_npy(p, result.smooth_total()); }},
      {"long.npy", [&](const std::string& p) { write_npy(p, result.smooth_long); }},
      {"short.npy", [&](const std::string& p) { write_npy(p, result.smooth_short); }},
      {"axes.json", [&](const std::string& p) { write_json(p, axes_json(result, config)); }},
      {"liquidations.csv", [&](const std::string& p) { write_liquidations_csv(p, result, market); }},
  };
  for (auto& f : report::report_outputs(result, market, config, report)) files.push_back(std::move(f));
  return files;
}

void write_output_files(const std::string& dir, const std::vector<OutputFile>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, "cannot create output folder '" + dir + "': " + ec.message());
  const fs::path staging = fs::path(dir) / (".liqmap-staging-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directory(staging, ec);
  if (ec) throw Error(ErrorCode::io, "cannot create '" + staging.string() + "': " + ec.message());
  try {
    for (const auto& f : files) f.write((staging / f.name).string());
    for (const auto& f : files) {
      fs::rename(staging / f.name, fs::path(dir) / f.name, ec);
      if (ec) throw Error(ErrorCode::io, "cannot move '" + f.name + "' into '" + dir + "': " + ec.message());
    }
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  fs::remove_all(staging, ec);
}

}  // namespace liqmap::detail
