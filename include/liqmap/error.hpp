// The one exception type of the C++ API: a code the C API maps to its status, and a message
// that says what was expected and what came.
#pragma once

#include <stdexcept>
#include <string>

namespace liqmap {

enum class ErrorCode : int {
  ok = 0,
  invalid_argument = 1,  // a call's arguments are wrong (caller bug)
  config = 2,            // the configuration breaks a rule of MODEL.md section 8
  input = 3,             // market data breaks a rule of MODEL.md section 1
  io = 4,                // a file could not be read or written
  out_of_memory = 5,     // host or device memory ran out
  device = 6,            // CUDA failure, or the CUDA backend is not usable here
  cancelled = 7,         // the progress callback asked to stop
  internal = 8,          // a bug: an invariant of the engine did not hold
};

const char* error_code_name(ErrorCode code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace liqmap
