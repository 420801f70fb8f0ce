#include "market_csv.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "liqmap/error.hpp"

namespace liqmap::cli {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

}  // namespace

MarketFile read_generic_csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw Error(ErrorCode::io, "cannot read market file '" + path + "'");
  MarketFile out;
  out.origin.file = path;
  const auto fail = [&](std::size_t line, const std::string& what) {
    throw Error(ErrorCode::input, path + ":" + std::to_string(line) + ": " + what);
  };

  std::string line;
  if (!std::getline(file, line)) fail(1, "the file is empty (expected a header ts,open,high,low,close[,volume][,oi][,long_share])");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = split(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* required : {"ts", "open", "high", "low", "close"})
    if (!column.count(required)) fail(1, std::string("the header has no '") + required + "' column (header: " + line + ")");

  Market& m = out.market;
  std::vector<std::pair<std::vector<double>*, std::string>> numeric = {
      {&m.open, "open"}, {&m.high, "high"}, {&m.low, "low"}, {&m.close, "close"}};
  for (auto [vec, name] : {std::pair{&m.volume, "volume"}, std::pair{&m.oi, "oi"}, std::pair{&m.long_share, "long_share"}})
    if (column.count(name)) numeric.emplace_back(vec, name);

  std::size_t line_no = 1;
  while (std::getline(file, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line);
    if (fields.size() != header.size())
      fail(line_no, "has " + std::to_string(fields.size()) + " fields, the header has " + std::to_string(header.size()));
    const std::string& ts_text = fields[column["ts"]];
    std::int64_t ts = 0;
    const auto ts_end = ts_text.data() + ts_text.size();
    if (std::from_chars(ts_text.data(), ts_end, ts).ptr != ts_end)
      fail(line_no, "column 'ts' value '" + ts_text + "': must be an integer (ms since the Unix epoch)");
    m.ts.push_back(ts);
    for (auto& [vec, name] : numeric) {
      const std::string& text = fields[column[name]];
      double value = 0;
      const auto end = text.data() + text.size();
      const auto parsed = std::from_chars(text.data(), end, value);
      if (text.empty() || parsed.ptr != end)
        fail(line_no, "column '" + name + "' value '" + text + "': must be a number");
      vec->push_back(value);
    }
    out.origin.line.push_back(line_no);
  }
  if (m.ts.empty()) fail(line_no, "the file has a header but no rows");
  return out;
}

}  // namespace liqmap::cli
