// A CSV file split into lines and fields without copying: the strict, fast layer under the
// readers (no quoting; the files this reads never quote).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace liqmap::io::detail {

struct CsvLine {
  std::size_t number;  // 1-based line in the file
  std::string_view text;
};

// The non-blank lines of `text`, '\r' and a leading UTF-8 byte-order mark removed.
std::vector<CsvLine> csv_lines(const std::string& text);

// The `separator`-separated fields of a line (',' unless a file's header says ';'), surrounding
// blanks and double quotes trimmed.
void split_fields(std::string_view line, std::vector<std::string_view>& fields, char separator = ',');

// `text` as it may be echoed in a message: at most 64 characters (longer text is cut, its length
// said), bytes that are not printable ASCII written as \xNN. A bad cell can be megabytes of binary.
std::string shown(std::string_view text);

// Lower-case copy, for header names matched case-insensitively.
std::string lower(std::string_view text);

}  // namespace liqmap::io::detail
