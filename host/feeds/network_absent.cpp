// Built without Boost.Beast or cpp-httplib: file: and stdin feeds work; the exchange feeds and
// fetch say what to install.
#include "feed.hpp"
#include "fetch.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {
const char* kMissing =
    "this liqmap was built without the exchange feeds: install libboost-dev and libcpp-httplib-dev "
    "(libssl-dev for wss/https) and rebuild (scripts/setup.sh)";
}

bool exchange_feeds_available(std::string* why) {
  if (why) *why = kMissing;
  return false;
}
bool tls_available() { return false; }

void run_exchange_feed(const FeedSpec&, const live::Appender&, const std::atomic<bool>&, const LogSink&) {
  throw Error(ErrorCode::invalid_argument, kMissing);
}

FetchResult fetch_archive(const FetchSpec&, const std::atomic<bool>*, const LogSink&) {
  throw Error(ErrorCode::invalid_argument, kMissing);
}

FetchResult fetch_history(const FetchSpec&, const std::atomic<bool>*, const LogSink&) {
  throw Error(ErrorCode::invalid_argument, kMissing);
}

}  // namespace liqmap::feeds
