#include "serve/events.hpp"

namespace liqmap::serve {

std::string Event::text() const { return "id: " + std::to_string(id) + "\nevent: " + name + "\ndata: " + data + "\n\n"; }

void EventHub::publish(const std::string& name, const std::string& data) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back({next_id_++, name, data});
    if (events_.size() > kKept) events_.pop_front();
  }
  changed_.notify_all();
}

std::vector<Event> EventHub::wait_after(std::uint64_t after, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, wait, [&] { return closed_ || next_id_ - 1 > after; });
  std::vector<Event> out;
  if (closed_) return out;
  for (const Event& e : events_)
    if (e.id > after) out.push_back(e);
  return out;
}

std::uint64_t EventHub::last_id() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return next_id_ - 1;
}

void EventHub::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

bool EventHub::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_;
}

}  // namespace liqmap::serve
