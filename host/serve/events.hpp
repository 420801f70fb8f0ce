// The server's events (Server-Sent Events on /api/events): each new run generation and each
// alert, numbered, kept for the clients that wait on them. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace liqmap::serve {

struct Event {
  std::uint64_t id = 0;
  std::string name;  // "generation" or "alert"
  std::string data;  // one line of JSON
  std::string text() const;  // as the text/event-stream carries it
};

class EventHub {
 public:
  static constexpr std::size_t kKept = 256;

  void publish(const std::string& name, const std::string& data);
  // The events after `after`, waiting up to `wait` for one; empty on a timeout or once closed.
  std::vector<Event> wait_after(std::uint64_t after, std::chrono::milliseconds wait);
  std::uint64_t last_id() const;
  void close();  // wakes every waiter; they end their streams
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Event> events_;
  std::uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace liqmap::serve
