// The websocket client of the feeds on Boost.Beast (libboost-dev, header-only), TLS with
// OpenSSL when LIQMAP_FEEDS_TLS. Every operation is asynchronous and driven by run_for, so a
// read can time out and stay pending while the feed writes a heartbeat.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#ifdef LIQMAP_FEEDS_TLS
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#endif

#include "liqmap/error.hpp"
#include "transport.hpp"

namespace liqmap::feeds {
namespace {
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using PlainWs = websocket::stream<beast::tcp_stream>;
#ifdef LIQMAP_FEEDS_TLS
using TlsWs = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;
#endif
}  // namespace

bool tls_available() {
#ifdef LIQMAP_FEEDS_TLS
  return true;
#else
  return false;
#endif
}


struct WsClient::Impl {
  net::io_context ioc;
  std::unique_ptr<PlainWs> plain;
#ifdef LIQMAP_FEEDS_TLS
  net::ssl::context ssl{net::ssl::context::tls_client};
  std::unique_ptr<TlsWs> tls;
#endif
  beast::flat_buffer buffer;
  bool reading = false;
  bool read_done = false;
  beast::error_code read_ec;

  // Runs handlers until `done` or the time is up; true when done.
  bool run_for(const bool& done, double seconds) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point end =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (!done) {
      const Clock::time_point now = Clock::now();
      if (now >= end) return false;
      if (ioc.stopped()) ioc.restart();
      ioc.run_one_for(std::chrono::duration_cast<std::chrono::nanoseconds>(end - now));
    }
    return true;
  }

  template <class F>
  void with_stream(F&& f) {
#ifdef LIQMAP_FEEDS_TLS
    if (tls) return f(*tls);
#endif
    if (plain) return f(*plain);
    throw Error(ErrorCode::io, "websocket: not connected");
  }
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() { close(); }

void WsClient::connect(const std::string& base_url, const std::string& target, double timeout) {
  close();
  Impl& m = *impl_;
  const Url url = split_url(base_url);
  const bool secure = url.scheme == "wss";
  if (!secure && url.scheme != "ws")
    throw Error(ErrorCode::invalid_argument, "websocket URL '" + base_url + "': expected ws:// or wss://");
  const std::string where = url.host + ":" + url.port + url.path + target;
  tcp::resolver resolver(m.ioc);
  bool done = false;
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(url.host, url.port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e, endpoints = r, done = true;
  });
  if (!m.run_for(done, timeout)) resolver.cancel(), m.run_for(done, 1);
  if (ec || !done) throw Error(ErrorCode::io, "websocket " + where + ": cannot resolve " + url.host + ": " + ec.message());

  auto handshake = [&](auto& ws, auto&& tls_step) {
    auto& layer = beast::get_lowest_layer(ws);
    done = false;
    layer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(timeout)));
    layer.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e, done = true; });
    m.run_for(done, timeout + 1);
    if (ec || !done) throw Error(ErrorCode::io, "websocket " + where + ": cannot connect: " + ec.message());
    tls_step(ws);
    layer.expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws.read_message_max(16 << 20);
    done = false;
    ws.async_handshake(url.host, url.path + target, [&](beast::error_code e) { ec = e, done = true; });
    if (!m.run_for(done, timeout)) {
      layer.close();
      m.run_for(done, 1);
      throw Error(ErrorCode::io, "websocket " + where + ": no handshake answer in time");
    }
    if (ec) throw Error(ErrorCode::io, "websocket " + where + ": handshake refused: " + ec.message());
  };
  if (secure) {
#ifdef LIQMAP_FEEDS_TLS
    m.ssl.set_default_verify_paths();
    m.ssl.set_verify_mode(net::ssl::verify_peer);
    m.tls = std::make_unique<TlsWs>(m.ioc, m.ssl);
    handshake(*m.tls, [&](TlsWs& ws) {
      SSL_set_tlsext_host_name(ws.next_layer().native_handle(), url.host.c_str());
      ws.next_layer().set_verify_callback(net::ssl::host_name_verification(url.host));
      done = false;
      ws.next_layer().async_handshake(net::ssl::stream_base::client, [&](beast::error_code e) { ec = e, done = true; });
      m.run_for(done, timeout);
      if (ec || !done) throw Error(ErrorCode::io, "websocket " + where + ": TLS handshake failed: " + ec.message());
    });
#else
    throw Error(ErrorCode::invalid_argument, "websocket URL '" + base_url + "': built without TLS (OpenSSL)");
#endif
  } else {
    m.plain = std::make_unique<PlainWs>(m.ioc);
    handshake(*m.plain, [](PlainWs&) {});
  }
  m.reading = m.read_done = false;
  m.buffer.clear();
}

bool WsClient::read(std::string& text, double timeout) {
  Impl& m = *impl_;
  if (!m.reading) {
    m.reading = true;
    m.read_done = false;
    m.with_stream([&](auto& ws) {
      ws.async_read(m.buffer, [&m](beast::error_code e, std::size_t) { m.read_ec = e, m.read_done = true; });
    });
  }
  if (!m.run_for(m.read_done, timeout)) return false;
  m.reading = false;
  if (m.read_ec) throw Error(ErrorCode::io, "websocket closed: " + m.read_ec.message());
  text = beast::buffers_to_string(m.buffer.data());
  m.buffer.consume(m.buffer.size());
  return true;
}

void WsClient::write(const std::string& text) {
  Impl& m = *impl_;
  bool done = false;
  beast::error_code ec;
  m.with_stream([&](auto& ws) {
    ws.text(true);
    ws.async_write(net::buffer(text), [&](beast::error_code e, std::size_t) { ec = e, done = true; });
  });
  if (!m.run_for(done, 10)) throw Error(ErrorCode::io, "websocket: a write did not finish in 10 s");
  if (ec) throw Error(ErrorCode::io, "websocket write failed: " + ec.message());
}

void WsClient::close() {
  Impl& m = *impl_;
  auto shut = [&](auto& ws) {
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws).socket().close(ignored);
  };
#ifdef LIQMAP_FEEDS_TLS
  if (m.tls) shut(*m.tls);
#endif
  if (m.plain) shut(*m.plain);
  if (m.reading) m.run_for(m.read_done, 1);  // let the pending read finish with its error
  m.reading = false;
  m.ioc.restart();
  m.ioc.poll();
#ifdef LIQMAP_FEEDS_TLS
  m.tls.reset();
#endif
  m.plain.reset();
}

}  // namespace liqmap::feeds
