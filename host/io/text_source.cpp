// Where market text comes from: a file, stdin ("-"), or the CSV inside a public-archive .zip;
// gzip-compressed text (a .csv.gz, or gzip on stdin) is told from its first bytes and inflated.
#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

#ifdef LIQMAP_HAVE_LIBZIP
#include <zip.h>
#endif
#ifdef LIQMAP_HAVE_ZLIB
#include <zlib.h>
#endif

namespace liqmap::io {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A zip bomb is refused before it is inflated: CSV text compresses about 5 to 10 times, so
// more than 200 times or more than 2 GiB is not market data.
constexpr std::uint64_t kMostInflation = 200;
constexpr std::uint64_t kMostInflatedBytes = std::uint64_t(2) << 30;

[[maybe_unused]] std::uint64_t decompressed_limit(std::uint64_t compressed) {
  return std::min(kMostInflatedBytes, kMostInflation * compressed + (std::uint64_t(1) << 20));
}

[[maybe_unused]] std::string zip_bomb_message(const std::string& path, std::uint64_t size, std::uint64_t compressed,
                                              std::uint64_t allowed) {
  return path + ": the .csv inside declares " + std::to_string(size) + " bytes from " + std::to_string(compressed) +
         " compressed; more than " + std::to_string(allowed) +
         " (200 times the compressed size, at most 2 GiB) is refused as a zip bomb; unzip it yourself if it is real";
}

bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b;
}

#ifdef LIQMAP_HAVE_ZLIB
// Every member of the stream (gzip files may be concatenated), inflated in pieces under the same
// limit as a .zip's: a gzip header claims no size, so the limit is checked as the text grows.
std::string gunzip(const std::string& path, const std::string& bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw Error(ErrorCode::out_of_memory, "cannot inflate '" + path + "'");
  const std::uint64_t allowed = decompressed_limit(bytes.size());
  std::string text;
  char piece[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());  // read_text refuses more than 2 GiB compressed first
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(piece);
    z.avail_out = sizeof piece;
    const int status = inflate(&z, Z_NO_FLUSH);
    text.append(piece, sizeof piece - z.avail_out);
    // Also against what was read so far: a bomb member is refused as it inflates, not once the
    // whole stream's (perhaps large) limit is reached.
    const std::uint64_t read_so_far = bytes.size() - z.avail_in;
    if (text.size() > allowed || text.size() > decompressed_limit(read_so_far)) {
      inflateEnd(&z);
      throw Error(ErrorCode::input, path + ": the gzip stream inflates to " + std::to_string(text.size()) +
                                        " bytes from its first " + std::to_string(read_so_far) +
                                        " compressed (200 times the compressed size, at most 2 GiB), refused as a "
                                        "gzip bomb; gunzip it yourself if it is real");
    }
    std::string reason;
    if (status == Z_OK) continue;
    if (status == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      const std::size_t next = bytes.size() - z.avail_in;
      if (is_gzip(bytes.substr(next, 2)) && inflateReset(&z) == Z_OK) continue;  // the next member
      reason = "data after the end of the gzip stream";
    } else if (status == Z_BUF_ERROR && z.avail_in == 0) {
      reason = "the stream ends early (cut short?)";
    } else {
      reason = z.msg ? z.msg : "zlib error " + std::to_string(status);
    }
    inflateEnd(&z);
    throw Error(ErrorCode::input, path + ": not a readable gzip stream: " + reason);
  }
  inflateEnd(&z);
  return text;
}
#else
std::string gunzip(const std::string& path, const std::string&) {
  throw Error(ErrorCode::io, "cannot read '" + path +
                                 "': it is gzip-compressed and this liqmap was built without zlib (install "
                                 "zlib1g-dev and rebuild), or gunzip it and pass the .csv");
}
#endif

#ifdef LIQMAP_HAVE_LIBZIP
// The archive serves one CSV per .zip; a zip with several CSVs is ambiguous and refused.
std::string read_zip(const std::string& path, const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (!archive) {
    if (source) zip_source_free(source);
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(ErrorCode::io, "cannot open zip archive '" + path + "': " + reason);
  }
  zip_error_fini(&error);
  std::string text;
  try {
    zip_int64_t csv_index = -1;
    const zip_int64_t entries = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
      const std::string name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
      if (!ends_with(name, ".csv")) continue;
      if (csv_index >= 0)
        throw Error(ErrorCode::input, path + ": the archive holds more than one .csv; extract the one to read");
      csv_index = i;
    }
    if (csv_index < 0) throw Error(ErrorCode::input, path + ": the archive holds no .csv file");
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(csv_index), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_SIZE) || !(stat.valid & ZIP_STAT_COMP_SIZE))
      throw Error(ErrorCode::io, "cannot read '" + path + "': the archive does not say how large its .csv is");
    const std::uint64_t allowed = decompressed_limit(stat.comp_size);
    if (stat.size > allowed) throw Error(ErrorCode::input, zip_bomb_message(path, stat.size, stat.comp_size, allowed));
    zip_file_t* entry = zip_fopen_index(archive, static_cast<zip_uint64_t>(csv_index), 0);
    if (!entry) throw Error(ErrorCode::io, "cannot read '" + path + "': " + zip_strerror(archive));
    // Read in pieces and stop at the limit: the sizes in an archive are claims, not facts.
    char piece[1 << 16];
    zip_int64_t got = 0;
    while ((got = zip_fread(entry, piece, sizeof piece)) > 0) {
      if (text.size() + static_cast<std::uint64_t>(got) > stat.size) break;
      text.append(piece, static_cast<std::size_t>(got));
    }
    zip_fclose(entry);
    if (got < 0 || text.size() != stat.size)
      throw Error(ErrorCode::io, "cannot read '" + path + "': the archive is damaged (its .csv is not the size it declares)");
  } catch (...) {
    zip_discard(archive);
    throw;
  }
  zip_discard(archive);
  return text;
}
#else
std::string read_zip(const std::string& path, const std::string&) {
  throw Error(ErrorCode::io, "cannot read '" + path +
                                 "': this liqmap was built without libzip (install libzip-dev and rebuild), "
                                 "or unzip the archive and pass the .csv");
}
#endif

// A zip archive starts with a local file header (PK\3\4), or, empty, with its end record (PK\5\6).
bool is_zip(const std::string& bytes) {
  return bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
         ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
}

}  // namespace

// Told by the first bytes, not the name: a zip or gzip piped to stdin or saved without its
// extension is read as one, and a file named .zip that is none is said to be none.
std::string read_text(const std::string& path) {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw Error(ErrorCode::io, "cannot read '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << file.rdbuf();
    bytes = text.str();
  }
  if (is_zip(bytes) || ends_with(path, ".zip")) {
    if (bytes.size() > kMostInflatedBytes)
      throw Error(ErrorCode::input, path + ": a zip archive of more than 2 GiB; unzip it and pass the .csv");
    if (!is_zip(bytes))
      throw Error(ErrorCode::io, "cannot open zip archive '" + path + "': Not a zip archive (it does not start with PK)");
    return read_zip(path, bytes);
  }
  if (!is_gzip(bytes)) return bytes;
  if (bytes.size() > kMostInflatedBytes)
    throw Error(ErrorCode::input, path + ": more than 2 GiB of gzip; gunzip it and pass the .csv");
  return gunzip(path, bytes);
}

std::vector<std::string> expand_paths(const std::vector<std::string>& patterns) {
  std::vector<std::string> paths;
  for (const std::string& pattern : patterns) {
    glob_t matches{};
    const int found = pattern == "-" ? GLOB_NOMATCH : ::glob(pattern.c_str(), 0, nullptr, &matches);
    if (found == 0) {
      for (std::size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
    } else {
      paths.push_back(pattern);
    }
    ::globfree(&matches);
    if (found != 0 && pattern.find_first_of("*?[") != std::string::npos)
      throw Error(ErrorCode::io, "no file matches '" + pattern + "'");
  }
  return paths;
}

}  // namespace liqmap::io
