#include <sstream>

#include "exchange.hpp"
#include "feed.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {

void run_file_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop,
                   const LogSink& log);
void run_exchange_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop,
                       const LogSink& log);

void run_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop, const LogSink& log) {
  if (spec.kind == FeedKind::file || spec.kind == FeedKind::stdin_input) return run_file_feed(spec, append, stop, log);
  run_exchange_feed(spec, append, stop, log);
}

const Exchange& binance_exchange();
const Exchange& bybit_exchange();
const Exchange& okx_exchange();

const Exchange& exchange(FeedKind kind) {
  switch (kind) {
    case FeedKind::binance: return binance_exchange();
    case FeedKind::bybit: return bybit_exchange();
    case FeedKind::okx: return okx_exchange();
    default: break;
  }
  throw Error(ErrorCode::invalid_argument, std::string("feed: ") + feed_kind_name(kind) + " is not an exchange");
}

const char* feed_kind_name(FeedKind kind) {
  switch (kind) {
    case FeedKind::binance: return "binance";
    case FeedKind::bybit: return "bybit";
    case FeedKind::okx: return "okx";
    case FeedKind::file: return "file";
    case FeedKind::stdin_input: return "stdin";
  }
  return "?";
}

FeedSpec parse_feed_spec(const std::string& text) {
  const std::string usage =
      " (expected binance:SYMBOL[:INTERVAL], bybit:SYMBOL[:INTERVAL], okx:INST-ID[:INTERVAL], file:PATH or stdin;"
      " e.g. binance:BTCUSDT:1m, okx:BTC-USDT-SWAP:1m)";
  FeedSpec spec;
  if (text == "stdin" || text == "-") {
    spec.kind = FeedKind::stdin_input;
    return spec;
  }
  if (text.rfind("file:", 0) == 0) {
    spec.kind = FeedKind::file;
    spec.path = text.substr(5);
    if (spec.path.empty()) throw Error(ErrorCode::invalid_argument, "feed '" + text + "': no path after file:" + usage);
    return spec;
  }
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3)
    throw Error(ErrorCode::invalid_argument, "feed '" + text + "'" + usage);
  if (parts[0] == "binance") spec.kind = FeedKind::binance;
  else if (parts[0] == "bybit") spec.kind = FeedKind::bybit;
  else if (parts[0] == "okx") spec.kind = FeedKind::okx;
  else throw Error(ErrorCode::invalid_argument, "feed '" + text + "': unknown source '" + parts[0] + "'" + usage);
  spec.symbol = parts[1];
  if (parts.size() == 3) spec.interval = parts[2];
  if (spec.symbol.empty()) throw Error(ErrorCode::invalid_argument, "feed '" + text + "': no symbol" + usage);
  if (spec.kind == FeedKind::okx && spec.symbol.find('-') == std::string::npos)
    throw Error(ErrorCode::invalid_argument, "feed '" + text + "': OKX names swaps like BTC-USDT-SWAP, not '" +
                                                 spec.symbol + "'");
  const Exchange& ex = exchange(spec.kind);
  ex.ws_target(spec.symbol, spec.interval);  // checks the symbol's characters and the interval
  spec.ws_url = ex.default_ws_url();
  spec.rest_url = ex.default_rest_url();
  return spec;
}

}  // namespace liqmap::feeds
