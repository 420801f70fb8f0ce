// The C boundary: every exported function runs its body through `guarded`, which turns any
// exception into a liqmap_status and the per-thread last-error message, so nothing C++ escapes.
#pragma once

#include <algorithm>
#include <cstring>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "liqmap/liqmap.h"

namespace liqmap::c_api {

// A C caller may pass any int where liqmap.h names an enum, but C++ may assume an enum holds only
// its enumerators' range: read the raw integer before checking it (UBSan's enum check agrees).
template <class Enum>
int raw_enum(const Enum& value) {
  static_assert(sizeof(Enum) == sizeof(int), "liqmap.h's enums are int-sized");
  int raw;
  std::memcpy(&raw, &value, sizeof raw);
  return raw;
}

// An error of the C API itself (bad handle, small buffer, call out of order), for the statuses
// the engine's ErrorCode does not have.
class ApiError : public std::runtime_error {
 public:
  ApiError(liqmap_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  liqmap_status status() const noexcept { return status_; }

 private:
  liqmap_status status_;
};

// Records `message` as this thread's last error and returns `status`.
liqmap_status fail(liqmap_status status, const std::string& message) noexcept;

// Maps the exception in flight to a status; `function` prefixes API errors' messages.
liqmap_status status_of_current_exception(const char* function) noexcept;

template <class Body>
liqmap_status guarded(const char* function, Body&& body) noexcept {
  try {
    body();
    return LIQMAP_OK;
  } catch (...) {
    return status_of_current_exception(function);
  }
}

inline void require(bool condition, const std::string& message) {
  if (!condition) throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT, message);
}

// The query-size pattern of liqmap.h: *count = n always; copy only when buffer is non-NULL and
// large enough. `write(buffer)` fills the n elements.
template <class T, class Write>
void copy_out(std::size_t n, T* buffer, std::size_t capacity, std::size_t* count,
              const char* what, Write&& write) {
  require(count != nullptr, "count is NULL");
  *count = n;
  if (buffer == nullptr) return;
  if (capacity < n)
    throw ApiError(LIQMAP_ERROR_BUFFER_TOO_SMALL,
                   std::string(what) + " needs " + std::to_string(n) +
                       " elements but the buffer holds " + std::to_string(capacity));
  write(buffer);
}

template <class T>
void copy_out(const T* data, std::size_t n, T* buffer, std::size_t capacity, std::size_t* count,
              const char* what) {
  copy_out(n, buffer, capacity, count, what, [&](T* out) { std::copy(data, data + n, out); });
}

inline void copy_string_out(const std::string& text, char* buffer, std::size_t capacity,
                            std::size_t* count, const char* what) {
  copy_out(text.c_str(), text.size() + 1, buffer, capacity, count, what);
}

// A struct versioned by its leading `size` field: the caller's `size` must cover at least the
// first published version (`first_version_size`); only the bytes it covers are read or written.
template <class T>
void check_versioned(const T* s, std::size_t first_version_size, const char* name) {
  require(s != nullptr, std::string(name) + " is NULL");
  require(s->size >= first_version_size,
          std::string(name) + "->size is " + std::to_string(s->size) + "; set it to sizeof(" +
              name + ") (" + std::to_string(sizeof(T)) + " in this library's header)");
}

template <class T>
void write_versioned(T* out, T full, std::size_t first_version_size, const char* name) {
  check_versioned(out, first_version_size, name);
  full.size = out->size;
  std::copy_n(reinterpret_cast<const unsigned char*>(&full), std::min(out->size, sizeof(T)),
              reinterpret_cast<unsigned char*>(out));
}

template <class T>
T read_versioned(const T* in, T defaults, std::size_t first_version_size, const char* name) {
  check_versioned(in, first_version_size, name);
  std::copy_n(reinterpret_cast<const unsigned char*>(in), std::min(in->size, sizeof(T)),
              reinterpret_cast<unsigned char*>(&defaults));
  return defaults;
}

}  // namespace liqmap::c_api

// The size of a struct's first published version: the end of its last field then.
#define LIQMAP_FIRST_VERSION_SIZE(type, last_field) \
  (offsetof(type, last_field) + sizeof(((type*)nullptr)->last_field))
