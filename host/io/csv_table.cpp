#include "csv_table.hpp"

#include <cctype>
#include <string>

namespace liqmap::io::detail {

std::vector<CsvLine> csv_lines(const std::string& text) {
  std::vector<CsvLine> lines;
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  // Classic Mac OS (and some exporters) end lines with a lone CR: a file without any LF is one
  // such, not a single line.
  const char end_of_line = rest.find('\n') == std::string_view::npos && rest.find('\r') != std::string_view::npos ? '\r' : '\n';
  for (std::size_t number = 1; !rest.empty(); ++number) {
    const std::size_t end = rest.find(end_of_line);
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back({number, line});
  }
  return lines;
}

void split_fields(std::string_view line, std::vector<std::string_view>& fields, char separator) {
  fields.clear();
  while (true) {
    const std::size_t comma = line.find(separator);
    std::string_view field = line.substr(0, comma);
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.front() == '"')) field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '"')) field.remove_suffix(1);
    fields.push_back(field);
    if (comma == std::string_view::npos) return;
    line.remove_prefix(comma + 1);
  }
}

std::string shown(std::string_view text) {
  constexpr std::size_t kShown = 64;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (text.size() > kShown) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace liqmap::io::detail
