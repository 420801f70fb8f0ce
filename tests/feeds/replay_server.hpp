// A local replay server for the feed tests: a websocket server (Boost.Beast) that plays scripted
// sessions of recorded-format frames on 127.0.0.1 and then drops the connection, and a REST
// server (cpp-httplib) on another loopback port whose handlers the test registers. Both bind
// free ports chosen by the system and stop with the object. Nothing leaves the loopback.
#pragma once

#include <httplib.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace liqmap::test {

struct WsSession {
  int read_first = 0;               // client messages to read before playing (subscriptions)
  std::vector<std::string> frames;  // text frames sent in order, then the connection is dropped
};

class ReplayServer {
 public:
  explicit ReplayServer(std::vector<WsSession> sessions)
      : sessions_(std::move(sessions)), acceptor_(ioc_) {
    namespace net = boost::asio;
    using tcp = net::ip::tcp;
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    ws_port_ = acceptor_.local_endpoint().port();
    ws_thread_ = std::thread([this] { serve_ws(); });
    rest_port_ = rest.bind_to_any_port("127.0.0.1");
    rest_thread_ = std::thread([this] { rest.listen_after_bind(); });
    while (!rest.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  ~ReplayServer() {
    stopping_.store(true);
    // Unblock a pending accept with a connection of our own.
    try {
      boost::asio::io_context ioc;
      boost::asio::ip::tcp::socket s(ioc);
      s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(ws_port_)});
    } catch (...) {
    }
    ws_thread_.join();
    rest.stop();
    rest_thread_.join();
  }

  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(ws_port_); }
  std::string rest_url() const { return "http://127.0.0.1:" + std::to_string(rest_port_); }

  std::vector<std::string> targets() {
    std::lock_guard<std::mutex> lock(mutex_);
    return targets_;
  }
  std::vector<std::string> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  int sessions_played() const { return played_.load(); }

  httplib::Server rest;

 private:
  void serve_ws() {
    namespace beast = boost::beast;
    namespace http = beast::http;
    namespace websocket = beast::websocket;
    for (const WsSession& session : sessions_) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_.load()) return;
      try {
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(socket, buffer, req);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          targets_.emplace_back(req.target());
        }
        websocket::stream<boost::asio::ip::tcp::socket> ws(std::move(socket));
        ws.accept(req);
        for (int i = 0; i < session.read_first; ++i) {
          beast::flat_buffer msg;
          ws.read(msg);
          std::lock_guard<std::mutex> lock(mutex_);
          received_.push_back(beast::buffers_to_string(msg.data()));
        }
        ws.text(true);
        for (const std::string& f : session.frames) ws.write(boost::asio::buffer(f));
        // A disconnect: the frames sent are delivered, then the stream ends without a close frame.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ws.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ws.next_layer().close(ec);
      } catch (const std::exception&) {
      }
      ++played_;
    }
  }

  std::vector<WsSession> sessions_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int ws_port_ = 0, rest_port_ = 0;
  std::thread ws_thread_, rest_thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> played_{0};
  std::mutex mutex_;
  std::vector<std::string> targets_, received_;
};

}  // namespace liqmap::test
