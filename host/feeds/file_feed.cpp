// --feed file:PATH (a CSV in the market format that grows: its new complete lines are sent as
// they appear; a last line without its newline is waited for) and --feed stdin (lines as they
// come, until end of input). The first line is the header, repeated in every request.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "candle.hpp"
#include "feed.hpp"
#include "liqmap/error.hpp"
#include "transport.hpp"

namespace liqmap::feeds {
namespace {

struct Fd {
  int fd = -1;
  bool owned = false;
  ~Fd() {
    if (owned && fd >= 0) ::close(fd);
  }
};

bool has_letter(const std::string& line) {
  for (char c : line)
    if (std::isalpha(static_cast<unsigned char>(c))) return true;
  return false;
}

}  // namespace

void run_file_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop,
                   const LogSink& log) {
  const bool is_stdin = spec.kind == FeedKind::stdin_input;
  const std::string name = is_stdin ? std::string("stdin") : spec.path;
  Fd in;
  if (is_stdin) {
    in.fd = spec.input_fd >= 0 ? spec.input_fd : 0;
  } else {
    in.fd = ::open(spec.path.c_str(), O_RDONLY | O_CLOEXEC);
    in.owned = true;
    if (in.fd < 0) throw Error(ErrorCode::io, "feed file:" + spec.path + ": cannot open: " + std::strerror(errno));
  }
  std::string header, partial;
  long long line_no = 0;
  off_t offset = 0;
  bool eof = false;
  char buf[65536];
  while (!stop.load()) {
    bool got = false;
    if (is_stdin) {
      pollfd p{in.fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(spec.file_poll_seconds * 1000));
      if (ready < 0 && errno != EINTR) throw Error(ErrorCode::io, "feed stdin: " + std::string(std::strerror(errno)));
      if (ready <= 0) continue;
    }
    const ssize_t n = ::read(in.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw Error(ErrorCode::io, "feed " + name + ": read failed: " + std::strerror(errno));
    }
    if (n > 0) {
      partial.append(buf, static_cast<std::size_t>(n));
      offset += n;
      got = true;
    } else {
      struct stat st {};
      if (!is_stdin && ::fstat(in.fd, &st) == 0 && st.st_size < offset)
        throw Error(ErrorCode::io, "feed file:" + spec.path + ": the file shrank from " + std::to_string(offset) +
                                       " to " + std::to_string(st.st_size) + " bytes (rewritten?); the feed only follows appends");
      eof = is_stdin || !spec.follow;
    }
    // The complete lines so far (a final line without newline counts once the input has ended).
    std::string rows;
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos || (eof && start < partial.size());) {
      if (nl == std::string::npos) nl = partial.size();
      std::string line = partial.substr(start, nl - start);
      start = nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      if (header.empty()) {
        if (!has_letter(line))
          throw Error(ErrorCode::input, "feed " + name + " line " + std::to_string(line_no) +
                                            ": expected a header row first (ts,open,high,low,close[,volume][,oi]), got '" +
                                            line.substr(0, 60) + "'");
        header = line;
        continue;
      }
      rows += line + "\n";
    }
    partial.erase(0, std::min(start, partial.size()));
    if (!rows.empty()) append(live::AppendRequest{header + "\n" + rows, "", false});
    if (eof) {
      if (log) log("feed " + name + ": end of input after " + std::to_string(line_no) + " lines");
      return;
    }
    if (!got && !sleep_unless_stopped(spec.file_poll_seconds, &stop)) return;
  }
}

}  // namespace liqmap::feeds
