// Errors as values. An Error names the input path it concerns and the rule broken, so every
// message can be traced to the field the user must fix. Nothing here throws.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace calfdvt::core {

enum class ErrorKind {
  kInvalidInput = 1,  // the caller's data broke a rule: CLI exit 2, HTTP 4xx
  kNotFound = 2,
  kConflict = 3,
  kInternal = 4,  // a defect or environment failure: CLI exit 1, HTTP 5xx
};

struct Error {
  std::string path;     // JSON path of the offending input ("imaging.thrombi[1].length_cm"), or ""
  std::string rule;     // short rule id ("type", "required", "range", "unknown_field", ...)
  std::string message;  // human-readable sentence naming the rule
};

using Errors = std::vector<Error>;

// Renders "path: message" (or just the message when path is empty).
std::string FormatError(const Error& e);

// Value or errors. [[nodiscard]] so a failure can never be dropped silently.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(ErrorKind kind, Errors errors) : data_(Failure{kind, std::move(errors)}) {}
  static Result Invalid(std::string path, std::string rule, std::string message) {
    return Result(ErrorKind::kInvalidInput,
                  Errors{Error{std::move(path), std::move(rule), std::move(message)}});
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T* operator->() const { return &std::get<T>(data_); }
  const T& operator*() const { return std::get<T>(data_); }
  ErrorKind kind() const { return std::get<Failure>(data_).kind; }
  const Errors& errors() const { return std::get<Failure>(data_).errors; }

 private:
  struct Failure {
    ErrorKind kind;
    Errors errors;
  };
  std::variant<T, Failure> data_;
};

// Success without a value.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Status(Ok{}); }

}  // namespace calfdvt::core
