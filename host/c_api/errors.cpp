// Status names, the per-thread last error, and the mapping of exceptions to statuses.
#include <cstring>
#include <new>
#include <string>

#include "boundary.hpp"
#include "liqmap/error.hpp"

namespace liqmap::c_api {
namespace {

// Per thread, so that independent engines on different threads never see each other's errors.
thread_local std::string last_error_message;

// The engine's ErrorCode values are the first statuses of liqmap.h, by construction.
static_assert(int(ErrorCode::invalid_argument) == LIQMAP_ERROR_INVALID_ARGUMENT);
static_assert(int(ErrorCode::config) == LIQMAP_ERROR_CONFIG);
static_assert(int(ErrorCode::input) == LIQMAP_ERROR_INPUT);
static_assert(int(ErrorCode::io) == LIQMAP_ERROR_IO);
static_assert(int(ErrorCode::out_of_memory) == LIQMAP_ERROR_OUT_OF_MEMORY);
static_assert(int(ErrorCode::device) == LIQMAP_ERROR_DEVICE);
static_assert(int(ErrorCode::cancelled) == LIQMAP_ERROR_CANCELLED);
static_assert(int(ErrorCode::internal) == LIQMAP_ERROR_INTERNAL);

}  // namespace

liqmap_status fail(liqmap_status status, const std::string& message) noexcept {
  try {
    last_error_message = message;
  } catch (...) {
    // No memory for the message: an empty one is better than none at all.
    last_error_message.clear();
  }
  return status;
}

liqmap_status status_of_current_exception(const char* function) noexcept {
  const std::string prefix = std::string(function) + ": ";
  try {
    throw;
  } catch (const ApiError& e) {
    return fail(e.status(), prefix + e.what());
  } catch (const Error& e) {
    const liqmap_status status =
        e.code() == ErrorCode::ok ? LIQMAP_ERROR_INTERNAL : static_cast<liqmap_status>(e.code());
    return fail(status, e.what());
  } catch (const std::bad_alloc&) {
    return fail(LIQMAP_ERROR_OUT_OF_MEMORY, prefix + "out of memory");
  } catch (const std::exception& e) {
    return fail(LIQMAP_ERROR_INTERNAL, prefix + "unexpected error: " + e.what());
  } catch (...) {
    return fail(LIQMAP_ERROR_INTERNAL, prefix + "unexpected error of an unknown type");
  }
}

}  // namespace liqmap::c_api

extern "C" {

const char* liqmap_version(void) { return LIQMAP_VERSION_STRING; }

unsigned liqmap_version_number(void) { return LIQMAP_VERSION_NUMBER; }

const char* liqmap_status_name(liqmap_status status) {
  // A C caller may pass any int; in C++ a value outside the enum's range is undefined, so the
  // bytes are read as an int (clang's -fsanitize=enum caught the load).
  static_assert(sizeof(liqmap_status) == sizeof(int));
  int code = 0;
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case LIQMAP_OK: return "ok";
    case LIQMAP_ERROR_INVALID_ARGUMENT: return "invalid_argument";
    case LIQMAP_ERROR_CONFIG: return "config";
    case LIQMAP_ERROR_INPUT: return "input";
    case LIQMAP_ERROR_IO: return "io";
    case LIQMAP_ERROR_OUT_OF_MEMORY: return "out_of_memory";
    case LIQMAP_ERROR_DEVICE: return "device";
    case LIQMAP_ERROR_CANCELLED: return "cancelled";
    case LIQMAP_ERROR_INTERNAL: return "internal";
    case LIQMAP_ERROR_BUFFER_TOO_SMALL: return "buffer_too_small";
    case LIQMAP_ERROR_INVALID_HANDLE: return "invalid_handle";
    case LIQMAP_ERROR_NO_MARKET: return "no_market";
    case LIQMAP_ERROR_NO_RESULT: return "no_result";
  }
  return "unknown";
}

const char* liqmap_last_error(void) { return liqmap::c_api::last_error_message.c_str(); }

}  // extern "C"
